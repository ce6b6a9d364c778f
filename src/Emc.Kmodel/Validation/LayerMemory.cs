using static Emc.Kmodel.SaturatingMath;

namespace Emc.Kmodel;

/// <summary>
/// The memory regions each layer reads and writes, worked out from its fields (spec §3, §4.1, §5.8):
/// uint8 tensors for K210 and quantized layers, float32 (4 bytes) otherwise.
/// </summary>
public static class LayerMemory
{
    private const long F32 = 4;

    public static IReadOnlyList<MemoryRange> Ranges(LayerBody body) => body switch
    {
        AddBody b => [Main("in_a", b.InA, F32 * b.Count), Main("in_b", b.InB, F32 * b.Count), MainOut("out", b.Out, F32 * b.Count)],
        QuantizedAddBody b =>
        [
            Main("in_a", b.InA, b.Count, rounded: true),
            Main("in_b", b.InB, b.Count, rounded: true),
            MainOut("out", b.Out, b.Count, rounded: true),
        ],
        GlobalAveragePool2DBody b => [Main("in", b.In, Mul(F32, b.KernelSize, b.Channels)), MainOut("out", b.Out, F32 * b.Channels)],
        QuantizedMaxPool2DBody b => [Main("in", b.In, InSize(b.Window)), MainOut("out", b.Out, OutSize(b.Window))],
        Pool2DBody b => [Main("in", b.In, F32 * InSize(b.Window)), MainOut("out", b.Out, F32 * OutSize(b.Window))],
        QuantizeBody b => [Main("in", b.In, F32 * b.Count), MainOut("out", b.Out, b.Count)],
        DequantizeBody b => [Main("in", b.In, b.Count), MainOut("out", b.Out, F32 * b.Count)],
        RequantizeBody b => [Main("in", b.In, b.Count), MainOut("out", b.Out, b.Count)],
        L2NormalizationBody b => [Main("in", b.In, F32 * b.Channels), MainOut("out", b.Out, F32 * b.Channels)],
        SoftmaxBody b => [Main("in", b.In, F32 * b.Channels), MainOut("out", b.Out, F32 * b.Channels)],
        LogisticBody b => [Main("in", b.In, F32 * b.Channels), MainOut("out", b.Out, F32 * b.Channels)],
        ConcatBody b => Concat(b),
        FullyConnectedBody b => [Main("in", b.In, F32 * b.InChannels), MainOut("out", b.Out, F32 * b.OutChannels)],
        TensorflowFlattenBody b => Flatten(b),
        ResizeNearestNeighborBody b => Resize(b),
        ChannelwiseDequantizeBody b =>
        [
            Main("in", b.In, Mul(b.Channels, b.ChannelSize)),
            MainOut("out", b.Out, Mul(F32, b.Channels, b.ChannelSize)),
        ],
        K210AddPaddingBody b =>
        [
            Main("main_mem_in", b.MainMemIn, b.Channels),
            new MemoryRange("kpu_mem_out", MemorySpace.Kpu, true, b.KpuMemOut, KpuTensorLayout.SizeInUnits(4, 4, b.Channels)),
        ],
        K210RemovePaddingBody b => [Main("main_mem_in", b.MainMemIn, Mul(16, b.Channels)), MainOut("main_mem_out", b.MainMemOut, b.Channels)],
        K210UploadBody b =>
        [
            Main("main_mem_in", b.MainMemIn, Mul(b.Width, b.Height, b.Channels)),
            new MemoryRange("kpu_mem_out", MemorySpace.Kpu, true, b.KpuMemOut, KpuTensorLayout.SizeInUnits(b.Width, b.Height, b.Channels)),
        ],
        K210ConvBody b => Conv(b),
        _ => [],
    };

    private static MemoryRange Main(string name, uint start, long length, bool rounded = false) =>
        new(name, MemorySpace.Main, false, start, length, rounded);

    private static MemoryRange MainOut(string name, uint start, long length, bool rounded = false) =>
        new(name, MemorySpace.Main, true, start, length, rounded);

    private static long InSize(PoolWindow w) => Mul(w.InWidth, w.InHeight, w.InChannels);

    private static long OutSize(PoolWindow w) => Mul(w.OutWidth, w.OutHeight, w.OutChannels);

    private static MemoryRange[] Concat(ConcatBody b)
    {
        var ranges = new MemoryRange[b.Inputs.Count + 1];
        long total = 0;
        for (int i = 0; i < b.Inputs.Count; i++)
        {
            var (start, size) = b.Inputs[i];
            ranges[i] = Main($"input[{i}]", start, size);
            total = Add(total, size);
        }

        ranges[^1] = MainOut("out", b.Out, total);
        return ranges;
    }

    private static MemoryRange[] Flatten(TensorflowFlattenBody b)
    {
        long size = Mul(b.Width, b.Height, b.Channels) * (b.Type == KmodelLayerType.QuantizedTensorflowFlatten ? 1 : F32);
        return [Main("in", b.In, size), MainOut("out", b.Out, size)];
    }

    private static MemoryRange[] Resize(ResizeNearestNeighborBody b)
    {
        long element = b.Type == KmodelLayerType.QuantizedResizeNearestNeighbor ? 1 : F32;
        return
        [
            Main("in", b.In, Mul(b.InWidth, b.InHeight, b.InChannels) * element),
            MainOut("out", b.Out, Mul(b.OutWidth, b.OutHeight, b.InChannels) * element),
        ];
    }

    private static MemoryRange[] Conv(K210ConvBody b)
    {
        var r = b.Registers;
        var src = new MemoryRange("image_src_addr", MemorySpace.Kpu, false, r.ImageSrcAddr, KpuTensorLayout.SizeInUnits(r.InWidth, r.InHeight, r.InChannels));
        var dst = new MemoryRange("image_dst_addr", MemorySpace.Kpu, true, r.ImageDstAddr, KpuTensorLayout.SizeInUnits(r.OutWidth, r.OutHeight, r.OutChannels));
        if (!b.MainMemOut)
        {
            return [src, dst];
        }

        return [src, dst, MainOut("main_mem_out_address", b.MainMemOutAddress, Mul(r.OutWidth, r.OutHeight, r.OutChannels), rounded: true)];
    }
}
