using Emc.Kmodel.Simulation;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>Builds one-conv kmodels (K210_CONV first and last, output to main memory) from the format types.</summary>
internal static class SyntheticConv
{
    public const long Lowest = -(1L << 35);
    public const long Never = (1L << 35) - 1;

    /// <summary>Segment 0 gives 0; segment 1 from <paramref name="start"/> is <c>T − start</c> (then clamped).</summary>
    public static KpuActivationTable Identity(long start = 0)
    {
        var segments = new KpuActivationSegment[16];
        segments[0] = new KpuActivationSegment(Lowest, 0, 0, 0);
        segments[1] = new KpuActivationSegment(start, 1, 0, 0);
        for (int i = 2; i < 16; i++)
        {
            segments[i] = new KpuActivationSegment(Never, 0, 0, 0);
        }

        return new KpuActivationTable(segments);
    }

    public static KmodelFile Model(
        int ic, int h, int w, int oc, int k, byte[] weights, KpuBatchNorm bn, KpuActivationTable act,
        byte padValue = 0, int argX = 0, int shrX = 0, int argW = 0, int shrW = 0, long argAdd = 0, int pool = 0, bool depthwise = false)
    {
        int stride = pool switch { 0 or 8 or 9 => 1, 1 or 2 or 5 or 6 => 2, _ => 4 };
        int oh = h / stride, ow = w / stride;
        var inL = KpuTensorLayout.ForWidth(w);
        var outL = KpuTensorLayout.ForWidth(ow);
        var r = default(KpuLayerArgument);
        r.InChannels = ic;
        r.InHeight = h;
        r.InWidth = w;
        r.OutChannels = oc;
        r.OutHeight = oh;
        r.OutWidth = ow;
        r.DepthWiseLayer = depthwise;
        r.KernelType = k == 3 ? 1u : 0u;
        r.PoolType = (uint)pool;
        r.PadValue = padValue;
        r.ImageSrcAddr = 0;
        r.ImageDstAddr = 16384;
        r.ChannelSwitchAddr = (uint)(inL.RowLength * h);
        r.RowSwitchAddr = (uint)inL.RowLength;
        r.CoefGroup = (uint)inL.Groups;
        r.WbChannelSwitchAddr = (uint)(outL.RowLength * oh);
        r.WbRowSwitchAddr = (uint)outL.RowLength;
        r.WbGroup = (uint)outL.Groups;
        r.ArgX = argX;
        r.ShrX = (uint)shrX;
        r.ArgW = argW;
        r.ShrW = (uint)shrW;
        r.ArgAdd = argAdd;
        r.ChannelByteNum = (uint)((ow * oh) - 1);
        r.DmaTotalByte = (uint)((ow * oh * oc) - 1);
        var body = new K210ConvBody(1, 0, r, weights, Enumerable.Repeat(bn, oc).ToArray(), act, new K210ConvLayout(0, 0, 0, 0));
        var header = new KmodelHeader(3, 1, 0, 0, (uint)Math.Max(8, oc * oh * ow));
        return new KmodelFile(header, [new KmodelOutput(0, (uint)(oc * oh * ow))], [new KmodelLayer(body, 0)]);
    }

    public static byte[] Run(KmodelFile model, byte[] input, ActivationRounding rounding = ActivationRounding.SdkHalfUp)
    {
        var result = KmodelSimulator.Simulate(model, input, new SimulatorOptions { Rounding = rounding });
        Assert.IsNotNull(result.Value, string.Join("; ", result.Diagnostics));
        return result.Value.Outputs[0].Bytes;
    }
}
