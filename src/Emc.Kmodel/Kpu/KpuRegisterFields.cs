namespace Emc.Kmodel;

/// <summary>Every named bit field of <c>kpu_layer_argument_t</c> (spec §5.2), in word/bit order.</summary>
public static class KpuRegisterFields
{
    public static readonly KpuRegisterField IntEn = new("int_en", 0, 0, 1);
    public static readonly KpuRegisterField RamFlag = new("ram_flag", 0, 1, 1);
    public static readonly KpuRegisterField FullAdd = new("full_add", 0, 2, 1);
    public static readonly KpuRegisterField DepthWiseLayer = new("depth_wise_layer", 0, 3, 1);
    public static readonly KpuRegisterField ImageSrcAddr = new("image_src_addr", 1, 0, 15);
    public static readonly KpuRegisterField ImageDstAddr = new("image_dst_addr", 1, 32, 15);
    public static readonly KpuRegisterField IChNum = new("i_ch_num", 2, 0, 10);
    public static readonly KpuRegisterField OChNum = new("o_ch_num", 2, 32, 10);
    public static readonly KpuRegisterField OChNumCoef = new("o_ch_num_coef", 2, 48, 10);
    public static readonly KpuRegisterField IRowWid = new("i_row_wid", 3, 0, 10);
    public static readonly KpuRegisterField IColHigh = new("i_col_high", 3, 10, 9);
    public static readonly KpuRegisterField ORowWid = new("o_row_wid", 3, 32, 10);
    public static readonly KpuRegisterField OColHigh = new("o_col_high", 3, 42, 9);
    public static readonly KpuRegisterField KernelType = new("kernel_type", 4, 0, 3);
    public static readonly KpuRegisterField PadType = new("pad_type", 4, 3, 1);
    public static readonly KpuRegisterField PoolType = new("pool_type", 4, 4, 4);
    public static readonly KpuRegisterField FirstStride = new("first_stride", 4, 8, 1);
    public static readonly KpuRegisterField BypassConv = new("bypass_conv", 4, 9, 1);
    public static readonly KpuRegisterField LoadPara = new("load_para", 4, 10, 1);
    public static readonly KpuRegisterField DmaBurstSize = new("dma_burst_size", 4, 16, 8);
    public static readonly KpuRegisterField PadValue = new("pad_value", 4, 24, 8);
    public static readonly KpuRegisterField BwsxBaseAddr = new("bwsx_base_addr", 4, 32, 32);
    public static readonly KpuRegisterField LoadCoor = new("load_coor", 5, 0, 1);
    public static readonly KpuRegisterField LoadTime = new("load_time", 5, 1, 6);
    public static readonly KpuRegisterField ParaSize = new("para_size", 5, 15, 17);
    public static readonly KpuRegisterField ParaStartAddr = new("para_start_addr", 5, 32, 32);
    public static readonly KpuRegisterField CoefColumnOffset = new("coef_column_offset", 6, 0, 4);
    public static readonly KpuRegisterField CoefRowOffset = new("coef_row_offset", 6, 4, 12);
    public static readonly KpuRegisterField ChannelSwitchAddr = new("channel_switch_addr", 7, 0, 15);
    public static readonly KpuRegisterField RowSwitchAddr = new("row_switch_addr", 7, 16, 4);
    public static readonly KpuRegisterField CoefSize = new("coef_size", 7, 20, 8);
    public static readonly KpuRegisterField CoefGroup = new("coef_group", 7, 28, 3);
    public static readonly KpuRegisterField LoadAct = new("load_act", 7, 31, 1);
    public static readonly KpuRegisterField ActiveAddr = new("active_addr", 7, 32, 32);
    public static readonly KpuRegisterField WbChannelSwitchAddr = new("wb_channel_switch_addr", 8, 0, 15);
    public static readonly KpuRegisterField WbRowSwitchAddr = new("wb_row_switch_addr", 8, 16, 4);
    public static readonly KpuRegisterField WbGroup = new("wb_group", 8, 20, 3);
    public static readonly KpuRegisterField ShrW = new("shr_w", 9, 0, 4);
    public static readonly KpuRegisterField ShrX = new("shr_x", 9, 4, 4);
    public static readonly KpuRegisterField ArgW = new("arg_w", 9, 8, 24, IsSigned: true);
    public static readonly KpuRegisterField ArgX = new("arg_x", 9, 32, 24, IsSigned: true);
    public static readonly KpuRegisterField ArgAdd = new("arg_add", 10, 0, 40, IsSigned: true);
    public static readonly KpuRegisterField SendDataOut = new("send_data_out", 11, 0, 1);
    public static readonly KpuRegisterField ChannelByteNum = new("channel_byte_num", 11, 16, 16);
    public static readonly KpuRegisterField DmaTotalByte = new("dma_total_byte", 11, 32, 32);

    public static IReadOnlyList<KpuRegisterField> All { get; } =
    [
        IntEn, RamFlag, FullAdd, DepthWiseLayer, ImageSrcAddr, ImageDstAddr, IChNum, OChNum, OChNumCoef,
        IRowWid, IColHigh, ORowWid, OColHigh, KernelType, PadType, PoolType, FirstStride, BypassConv, LoadPara,
        DmaBurstSize, PadValue, BwsxBaseAddr, LoadCoor, LoadTime, ParaSize, ParaStartAddr, CoefColumnOffset,
        CoefRowOffset, ChannelSwitchAddr, RowSwitchAddr, CoefSize, CoefGroup, LoadAct, ActiveAddr,
        WbChannelSwitchAddr, WbRowSwitchAddr, WbGroup, ShrW, ShrX, ArgW, ArgX, ArgAdd, SendDataOut,
        ChannelByteNum, DmaTotalByte,
    ];

    /// <summary>Bits of word <paramref name="word"/> that no field covers (must be zero).</summary>
    public static ulong ReservedMask(int word)
    {
        ulong used = 0;
        foreach (var field in All)
        {
            if (field.Word == word)
            {
                used |= field.Mask;
            }
        }

        return ~used;
    }
}
