using Emc.Kmodel;

namespace Emc.Compiler.K210.Emission;

/// <summary>
/// Canonical layout of a new kmodel (spec §1.4, §5.1): every body padded so the next starts 8-aligned; conv
/// registers 8-aligned, weights and BN 128-aligned, activation table 256-aligned (absolute file offsets).
/// Kept here (not in Emc.Kmodel) until the format library offers a builder.
/// </summary>
public static class KmodelLayout
{
    public static KmodelFile Arrange(KmodelHeader header, IReadOnlyList<KmodelOutput> outputs, IReadOnlyList<LayerBody> bodies)
    {
        long offset = KmodelHeader.Size + (8L * outputs.Count) + (8L * bodies.Count);
        var layers = new List<KmodelLayer>(bodies.Count);
        foreach (var body in bodies)
        {
            var placed = body;
            long end;
            if (body is K210ConvBody conv)
            {
                long regs = Align(offset + K210ConvLayout.ArgumentSize, 8);
                long weights = Align(regs + KpuLayerArgument.ByteSize, 128);
                long bn = Align(weights + conv.Weights.Length, 128);
                long act = Align(bn + (KpuBatchNorm.ByteSize * (long)conv.BatchNorm.Length), 256);
                placed = conv with { Layout = new K210ConvLayout((uint)(regs - offset), (uint)(weights - offset), (uint)(bn - offset), (uint)(act - offset)) };
                end = act + KpuActivationTable.ByteSize;
            }
            else
            {
                end = offset + ContentSize(body);
            }

            long next = Align(end, 8);
            layers.Add(new KmodelLayer(placed, (uint)(next - offset)));
            offset = next;
        }

        return new KmodelFile(header, outputs, layers);
    }

    public static long ContentSize(LayerBody body) => body switch
    {
        AddBody => AddBody.LayoutSize,
        QuantizedAddBody => QuantizedAddBody.LayoutSize,
        GlobalAveragePool2DBody => GlobalAveragePool2DBody.LayoutSize,
        QuantizedMaxPool2DBody => QuantizedMaxPool2DBody.LayoutSize,
        Pool2DBody => Pool2DBody.LayoutSize,
        QuantizeBody => QuantizeBody.LayoutSize,
        DequantizeBody => DequantizeBody.LayoutSize,
        RequantizeBody => RequantizeBody.LayoutSize,
        SoftmaxBody => SoftmaxBody.LayoutSize,
        LogisticBody => LogisticBody.LayoutSize,
        ConcatBody b => ConcatBody.FixedSize + (8L * b.Inputs.Count),
        FullyConnectedBody b => FullyConnectedBody.FixedSize + (4L * (b.Weights.LongLength + b.Bias.LongLength)),
        TensorflowFlattenBody => TensorflowFlattenBody.LayoutSize,
        ResizeNearestNeighborBody => ResizeNearestNeighborBody.LayoutSize,
        ChannelwiseDequantizeBody b => ChannelwiseDequantizeBody.FixedSize + (8L * b.Parameters.Count),
        K210AddPaddingBody => K210AddPaddingBody.LayoutSize,
        K210RemovePaddingBody => K210RemovePaddingBody.LayoutSize,
        K210UploadBody => K210UploadBody.LayoutSize,
        _ => throw new ArgumentException($"no layout for {body.GetType().Name}", nameof(body)),
    };

    private static long Align(long v, long a) => (v + a - 1) / a * a;
}
