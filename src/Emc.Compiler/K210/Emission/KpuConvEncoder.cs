using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Emission;

/// <summary>Fills the twelve register words of a K210_CONV (spec §5.2, §5.7) from a quantized conv layer.</summary>
internal static class KpuConvEncoder
{
    public static K210ConvBody Encode(KpuConvLayer layer)
    {
        var p = layer.Parameters ?? throw new InvalidOperationException($"{layer} is not quantized");
        var input = layer.Inputs[0];
        var output = layer.Output;
        var w = layer.Weights;
        var inLayout = KpuTensorLayout.ForWidth(input.Width);
        var outLayout = KpuTensorLayout.ForWidth(output.Width);
        var (occ, loads) = ConvLowering.WeightLoads(w, p.WeightBits);
        int bytesPerOutput = w.WeightsPerOutput * (p.WeightBits / 8);

        var r = default(KpuLayerArgument);
        r.DepthWiseLayer = w.Depthwise;
        r.ImageSrcAddr = (uint)(input.Address + (layer.InputRowShift ? inLayout.RowLength : 0));
        r.ImageDstAddr = (uint)output.Address;
        r.InChannels = input.Channels;
        r.OutChannels = output.Channels;
        r.OutChannelsPerLoad = occ;
        r.InWidth = input.Width;
        r.InHeight = input.Height;
        r.OutWidth = output.Width;
        r.OutHeight = output.Height;
        r.KernelType = w.KernelSize == 3 ? 1u : 0u;
        r.PoolType = (uint)layer.Pool;
        r.LoadPara = true;
        r.DmaBurstSize = 15;
        r.PadValue = p.PadValue;
        r.LoadCoor = true;
        r.Loads = loads;
        r.ParaSize = (uint)(w.Depthwise ? p.WeightBytes.Length : occ * bytesPerOutput);
        r.ChannelSwitchAddr = (uint)(inLayout.RowLength * input.Height);
        r.RowSwitchAddr = (uint)inLayout.RowLength;
        r.CoefGroup = (uint)inLayout.Groups;
        r.LoadAct = true;
        r.WbChannelSwitchAddr = (uint)(outLayout.RowLength * output.Height);
        r.WbRowSwitchAddr = (uint)outLayout.RowLength;
        r.WbGroup = (uint)outLayout.Groups;
        r.ShrW = (uint)p.ShrW;
        r.ShrX = (uint)p.ShrX;
        r.ArgW = p.ArgW;
        r.ArgX = p.ArgX;
        r.ArgAdd = p.ArgAdd;
        r.ChannelByteNum = (uint)((output.Width * output.Height) - 1);
        r.DmaTotalByte = (uint)((output.Width * output.Height * output.Channels) - 1);

        uint flags = layer.MainOutput is null ? 0u : K210ConvBody.MainMemOutFlag;
        uint mainAddress = layer.MainOutput is null ? 0u : (uint)layer.MainOutput.Address;
        return new K210ConvBody(flags, mainAddress, r, p.WeightBytes, p.BatchNorm, p.Activation, default);
    }
}
