using System.Runtime.CompilerServices;

namespace Emc.Kmodel;

/// <summary>The twelve 64-bit words of <c>kpu_layer_argument_t</c>, stored inline.</summary>
[InlineArray(KpuLayerArgument.WordCount)]
public struct KpuRegisterWords
{
    private ulong _word0;
}

/// <summary>
/// The K210 conv register block (spec §5.2): twelve little-endian u64 words with a get/set property per
/// bit field. Signed fields are sign-extended on get; every setter range-checks its value
/// (<see cref="ArgumentOutOfRangeException"/>).
/// </summary>
public partial struct KpuLayerArgument : IEquatable<KpuLayerArgument>
{
    public const int WordCount = 12;
    public const int ByteSize = WordCount * 8;

    private KpuRegisterWords _words;

    public KpuLayerArgument(ReadOnlySpan<ulong> words)
    {
        if (words.Length != WordCount)
        {
            throw new ArgumentException($"a KPU layer argument has {WordCount} words", nameof(words));
        }

        words.CopyTo(_words);
    }

    /// <summary>Register word <paramref name="index"/> (0..11).</summary>
    public ulong this[int index]
    {
        readonly get => ((ReadOnlySpan<ulong>)_words)[index];
        set => ((Span<ulong>)_words)[index] = value;
    }

    public readonly ulong[] ToArray() => ((ReadOnlySpan<ulong>)_words).ToArray();

    /// <summary>The raw value of any field (sign-extended when signed).</summary>
    public readonly long Get(KpuRegisterField field) => field.Get(this[field.Word]);

    /// <summary>Sets any field; throws <see cref="ArgumentOutOfRangeException"/> when it does not fit.</summary>
    public void Set(KpuRegisterField field, long value) => this[field.Word] = field.Set(this[field.Word], value);

    public readonly bool Equals(KpuLayerArgument other) =>
        ((ReadOnlySpan<ulong>)_words).SequenceEqual((ReadOnlySpan<ulong>)other._words);

    public override readonly bool Equals(object? obj) => obj is KpuLayerArgument other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (ulong word in (ReadOnlySpan<ulong>)_words)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(KpuLayerArgument left, KpuLayerArgument right) => left.Equals(right);

    public static bool operator !=(KpuLayerArgument left, KpuLayerArgument right) => !left.Equals(right);

    /// <summary><c>int_en</c>.</summary>
    public bool IntEn
    {
        readonly get => Get(KpuRegisterFields.IntEn) != 0;
        set => Set(KpuRegisterFields.IntEn, value ? 1 : 0);
    }

    /// <summary><c>ram_flag</c>.</summary>
    public bool RamFlag
    {
        readonly get => Get(KpuRegisterFields.RamFlag) != 0;
        set => Set(KpuRegisterFields.RamFlag, value ? 1 : 0);
    }

    /// <summary><c>full_add</c>.</summary>
    public bool FullAdd
    {
        readonly get => Get(KpuRegisterFields.FullAdd) != 0;
        set => Set(KpuRegisterFields.FullAdd, value ? 1 : 0);
    }

    /// <summary><c>depth_wise_layer</c>.</summary>
    public bool DepthWiseLayer
    {
        readonly get => Get(KpuRegisterFields.DepthWiseLayer) != 0;
        set => Set(KpuRegisterFields.DepthWiseLayer, value ? 1 : 0);
    }

    /// <summary><c>image_src_addr</c>.</summary>
    public uint ImageSrcAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.ImageSrcAddr);
        set => Set(KpuRegisterFields.ImageSrcAddr, value);
    }

    /// <summary><c>image_dst_addr</c>.</summary>
    public uint ImageDstAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.ImageDstAddr);
        set => Set(KpuRegisterFields.ImageDstAddr, value);
    }

    /// <summary><c>i_ch_num</c>.</summary>
    public uint IChNum
    {
        readonly get => (uint)Get(KpuRegisterFields.IChNum);
        set => Set(KpuRegisterFields.IChNum, value);
    }

    /// <summary><c>o_ch_num</c>.</summary>
    public uint OChNum
    {
        readonly get => (uint)Get(KpuRegisterFields.OChNum);
        set => Set(KpuRegisterFields.OChNum, value);
    }

    /// <summary><c>o_ch_num_coef</c>.</summary>
    public uint OChNumCoef
    {
        readonly get => (uint)Get(KpuRegisterFields.OChNumCoef);
        set => Set(KpuRegisterFields.OChNumCoef, value);
    }

    /// <summary><c>i_row_wid</c>.</summary>
    public uint IRowWid
    {
        readonly get => (uint)Get(KpuRegisterFields.IRowWid);
        set => Set(KpuRegisterFields.IRowWid, value);
    }

    /// <summary><c>i_col_high</c>.</summary>
    public uint IColHigh
    {
        readonly get => (uint)Get(KpuRegisterFields.IColHigh);
        set => Set(KpuRegisterFields.IColHigh, value);
    }

    /// <summary><c>o_row_wid</c>.</summary>
    public uint ORowWid
    {
        readonly get => (uint)Get(KpuRegisterFields.ORowWid);
        set => Set(KpuRegisterFields.ORowWid, value);
    }

    /// <summary><c>o_col_high</c>.</summary>
    public uint OColHigh
    {
        readonly get => (uint)Get(KpuRegisterFields.OColHigh);
        set => Set(KpuRegisterFields.OColHigh, value);
    }

    /// <summary><c>kernel_type</c>.</summary>
    public uint KernelType
    {
        readonly get => (uint)Get(KpuRegisterFields.KernelType);
        set => Set(KpuRegisterFields.KernelType, value);
    }

    /// <summary><c>pad_type</c>.</summary>
    public bool PadType
    {
        readonly get => Get(KpuRegisterFields.PadType) != 0;
        set => Set(KpuRegisterFields.PadType, value ? 1 : 0);
    }

    /// <summary><c>pool_type</c>.</summary>
    public uint PoolType
    {
        readonly get => (uint)Get(KpuRegisterFields.PoolType);
        set => Set(KpuRegisterFields.PoolType, value);
    }

    /// <summary><c>first_stride</c>.</summary>
    public bool FirstStride
    {
        readonly get => Get(KpuRegisterFields.FirstStride) != 0;
        set => Set(KpuRegisterFields.FirstStride, value ? 1 : 0);
    }

    /// <summary><c>bypass_conv</c>.</summary>
    public bool BypassConv
    {
        readonly get => Get(KpuRegisterFields.BypassConv) != 0;
        set => Set(KpuRegisterFields.BypassConv, value ? 1 : 0);
    }

    /// <summary><c>load_para</c>.</summary>
    public bool LoadPara
    {
        readonly get => Get(KpuRegisterFields.LoadPara) != 0;
        set => Set(KpuRegisterFields.LoadPara, value ? 1 : 0);
    }

    /// <summary><c>dma_burst_size</c>.</summary>
    public uint DmaBurstSize
    {
        readonly get => (uint)Get(KpuRegisterFields.DmaBurstSize);
        set => Set(KpuRegisterFields.DmaBurstSize, value);
    }

    /// <summary><c>pad_value</c>.</summary>
    public byte PadValue
    {
        readonly get => (byte)Get(KpuRegisterFields.PadValue);
        set => Set(KpuRegisterFields.PadValue, value);
    }

    /// <summary><c>bwsx_base_addr</c>.</summary>
    public uint BwsxBaseAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.BwsxBaseAddr);
        set => Set(KpuRegisterFields.BwsxBaseAddr, value);
    }

    /// <summary><c>load_coor</c>.</summary>
    public bool LoadCoor
    {
        readonly get => Get(KpuRegisterFields.LoadCoor) != 0;
        set => Set(KpuRegisterFields.LoadCoor, value ? 1 : 0);
    }

    /// <summary><c>load_time</c>.</summary>
    public uint LoadTime
    {
        readonly get => (uint)Get(KpuRegisterFields.LoadTime);
        set => Set(KpuRegisterFields.LoadTime, value);
    }

    /// <summary><c>para_size</c>.</summary>
    public uint ParaSize
    {
        readonly get => (uint)Get(KpuRegisterFields.ParaSize);
        set => Set(KpuRegisterFields.ParaSize, value);
    }

    /// <summary><c>para_start_addr</c>.</summary>
    public uint ParaStartAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.ParaStartAddr);
        set => Set(KpuRegisterFields.ParaStartAddr, value);
    }

    /// <summary><c>coef_column_offset</c>.</summary>
    public uint CoefColumnOffset
    {
        readonly get => (uint)Get(KpuRegisterFields.CoefColumnOffset);
        set => Set(KpuRegisterFields.CoefColumnOffset, value);
    }

    /// <summary><c>coef_row_offset</c>.</summary>
    public uint CoefRowOffset
    {
        readonly get => (uint)Get(KpuRegisterFields.CoefRowOffset);
        set => Set(KpuRegisterFields.CoefRowOffset, value);
    }

    /// <summary><c>channel_switch_addr</c>.</summary>
    public uint ChannelSwitchAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.ChannelSwitchAddr);
        set => Set(KpuRegisterFields.ChannelSwitchAddr, value);
    }

    /// <summary><c>row_switch_addr</c>.</summary>
    public uint RowSwitchAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.RowSwitchAddr);
        set => Set(KpuRegisterFields.RowSwitchAddr, value);
    }

    /// <summary><c>coef_size</c>.</summary>
    public uint CoefSize
    {
        readonly get => (uint)Get(KpuRegisterFields.CoefSize);
        set => Set(KpuRegisterFields.CoefSize, value);
    }

    /// <summary><c>coef_group</c>.</summary>
    public uint CoefGroup
    {
        readonly get => (uint)Get(KpuRegisterFields.CoefGroup);
        set => Set(KpuRegisterFields.CoefGroup, value);
    }

    /// <summary><c>load_act</c>.</summary>
    public bool LoadAct
    {
        readonly get => Get(KpuRegisterFields.LoadAct) != 0;
        set => Set(KpuRegisterFields.LoadAct, value ? 1 : 0);
    }

    /// <summary><c>active_addr</c>.</summary>
    public uint ActiveAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.ActiveAddr);
        set => Set(KpuRegisterFields.ActiveAddr, value);
    }

    /// <summary><c>wb_channel_switch_addr</c>.</summary>
    public uint WbChannelSwitchAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.WbChannelSwitchAddr);
        set => Set(KpuRegisterFields.WbChannelSwitchAddr, value);
    }

    /// <summary><c>wb_row_switch_addr</c>.</summary>
    public uint WbRowSwitchAddr
    {
        readonly get => (uint)Get(KpuRegisterFields.WbRowSwitchAddr);
        set => Set(KpuRegisterFields.WbRowSwitchAddr, value);
    }

    /// <summary><c>wb_group</c>.</summary>
    public uint WbGroup
    {
        readonly get => (uint)Get(KpuRegisterFields.WbGroup);
        set => Set(KpuRegisterFields.WbGroup, value);
    }

    /// <summary><c>shr_w</c>.</summary>
    public uint ShrW
    {
        readonly get => (uint)Get(KpuRegisterFields.ShrW);
        set => Set(KpuRegisterFields.ShrW, value);
    }

    /// <summary><c>shr_x</c>.</summary>
    public uint ShrX
    {
        readonly get => (uint)Get(KpuRegisterFields.ShrX);
        set => Set(KpuRegisterFields.ShrX, value);
    }

    /// <summary><c>arg_w</c>.</summary>
    public int ArgW
    {
        readonly get => (int)Get(KpuRegisterFields.ArgW);
        set => Set(KpuRegisterFields.ArgW, value);
    }

    /// <summary><c>arg_x</c>.</summary>
    public int ArgX
    {
        readonly get => (int)Get(KpuRegisterFields.ArgX);
        set => Set(KpuRegisterFields.ArgX, value);
    }

    /// <summary><c>arg_add</c>.</summary>
    public long ArgAdd
    {
        readonly get => Get(KpuRegisterFields.ArgAdd);
        set => Set(KpuRegisterFields.ArgAdd, value);
    }

    /// <summary><c>send_data_out</c>.</summary>
    public bool SendDataOut
    {
        readonly get => Get(KpuRegisterFields.SendDataOut) != 0;
        set => Set(KpuRegisterFields.SendDataOut, value ? 1 : 0);
    }

    /// <summary><c>channel_byte_num</c>.</summary>
    public uint ChannelByteNum
    {
        readonly get => (uint)Get(KpuRegisterFields.ChannelByteNum);
        set => Set(KpuRegisterFields.ChannelByteNum, value);
    }

    /// <summary><c>dma_total_byte</c>.</summary>
    public uint DmaTotalByte
    {
        readonly get => (uint)Get(KpuRegisterFields.DmaTotalByte);
        set => Set(KpuRegisterFields.DmaTotalByte, value);
    }
}
