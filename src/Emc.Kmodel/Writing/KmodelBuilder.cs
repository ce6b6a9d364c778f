using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel;

/// <summary>
/// Lays out a NEW model canonically (spec §1.4, §5.1): every body padded with zeros so that the next body
/// starts at an absolute offset divisible by 8; in a K210_CONV body the registers at the first 8-aligned
/// offset after the 24-byte argument block, weights and batch-norm 128-aligned, the activation table
/// 256-aligned (what nncase v0.1 does), the body ending with the table.
/// </summary>
public static class KmodelBuilder
{
    public const int BodyAlignment = 8;
    public const int RegistersAlignment = 8;
    public const int WeightsAlignment = 128;
    public const int BatchNormAlignment = 128;
    public const int ActivationAlignment = 256;

    /// <summary>
    /// Builds the file: body sizes and conv layouts are computed (any <see cref="K210ConvBody.Layout"/>
    /// given is replaced). The header's layer and output counts follow from the lists.
    /// </summary>
    public static KmodelFile Build(KmodelHeader header, IReadOnlyList<KmodelOutput> outputs, IReadOnlyList<LayerBody> bodies)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(bodies);
        long start = KmodelHeader.Size + (8L * outputs.Count) + (8L * bodies.Count);
        var layers = new KmodelLayer[bodies.Count];
        for (int i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            long end;
            if (body is K210ConvBody conv)
            {
                var layout = ConvLayout(start, conv.Weights.Length, conv.BatchNorm.Length);
                body = conv with { Layout = layout };
                end = start + layout.ActivationOffset + KpuActivationTable.ByteSize;
            }
            else
            {
                var entry = LayerCatalogue.For(body) ?? throw KmodelWriter.UnknownRecord(body);
                end = start + entry.ContentSize(body);
            }

            end = Align(end, BodyAlignment);
            layers[i] = new KmodelLayer(body, checked((uint)(end - start)));
            start = end;
        }

        return new KmodelFile(header, outputs.ToArray(), layers);
    }

    /// <summary>The canonical conv blob offsets (relative to the body) for a body starting at file offset <paramref name="bodyStart"/>.</summary>
    public static K210ConvLayout ConvLayout(long bodyStart, int weightBytes, int outputChannels)
    {
        long registers = Align(bodyStart + K210ConvLayout.ArgumentSize, RegistersAlignment);
        long weights = Align(registers + KpuLayerArgument.ByteSize, WeightsAlignment);
        long batchNorm = Align(weights + weightBytes, BatchNormAlignment);
        long activation = Align(batchNorm + ((long)KpuBatchNorm.ByteSize * outputChannels), ActivationAlignment);
        return new K210ConvLayout(
            checked((uint)(registers - bodyStart)),
            checked((uint)(weights - bodyStart)),
            checked((uint)(batchNorm - bodyStart)),
            checked((uint)(activation - bodyStart)));
    }

    private static long Align(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
