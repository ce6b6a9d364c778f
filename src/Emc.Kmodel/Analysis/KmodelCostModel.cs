namespace Emc.Kmodel;

/// <summary>
/// An ESTIMATE of a kmodel layer's time on a K210 (CPU and KPU at 400 MHz), from the layer's body alone. The model
/// and its calibration against published measurements are in docs/cost-model.md; nothing here was measured on a
/// device by us. Every figure it gives must be shown as an estimate.
/// </summary>
public static class KmodelCostModel
{
    /// <summary>CPU clock (the SDK's default PLL setting).</summary>
    public const double CpuMhz = 400;

    /// <summary>KPU clock (the SDK's default).</summary>
    public const double KpuMhz = 400;

    /// <summary>Share of the ideal one-64-byte-unit-per-cycle rate the KPU reaches on large maps (0.97 from the
    /// 256×256, 128→128 3×3 point of the Sipeed benchmark; docs/cost-model.md).</summary>
    public const double KpuEfficiency = 0.97;

    /// <summary>Weight bytes the KPU fetches per KPU cycle (≈85k cycles for 295 KB in the 4×4 point of the Sipeed benchmark).</summary>
    public const double KpuWeightBytesPerCycle = 3.5;

    /// <summary>CPU-side cost of starting one KPU layer (registers, interrupt) — an assumption, not a measurement.</summary>
    public const double KpuLayerSetupMicroseconds = 5;

    /// <summary>DMA bandwidth main memory ↔ KPU RAM in bytes per µs (230,400 bytes uploaded in 329 µs, nncase #95).</summary>
    public const double DmaBytesPerMicrosecond = 700;

    /// <summary>Estimated microseconds of layer <paramref name="index"/>, with the term that dominates it.</summary>
    public static LayerCostEstimate Estimate(KmodelFile model, int index)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Estimate(model.Layers[index].Body);
    }

    /// <summary>Per-layer estimates and their sum.</summary>
    public static IReadOnlyList<LayerCostEstimate> EstimateAll(KmodelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Enumerable.Range(0, model.Layers.Count).Select(i => Estimate(model, i)).ToList();
    }

    public static LayerCostEstimate Estimate(LayerBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body switch
        {
            K210ConvBody c => Conv(c),
            K210UploadBody u => Dma("DMA upload", (double)u.Width * u.Height * u.Channels),
            K210AddPaddingBody p => Cpu("CPU copy into KPU layout", (double)p.Channels, 8),
            K210RemovePaddingBody p => Cpu("CPU strided copy", (double)p.Channels, 8),
            QuantizeBody q => Cpu("CPU float→u8", q.Count, 12),
            DequantizeBody d => Cpu("CPU u8→float", d.Count, 12),
            ChannelwiseDequantizeBody d => Cpu("CPU u8→float", (double)d.ChannelSize * d.Parameters.Count, 12),
            RequantizeBody r => Cpu("CPU table lookup", r.Count, 4),
            AddBody a => Cpu("CPU float add", a.Count, 8),
            QuantizedAddBody a => Cpu("CPU u8 add", a.Count, 14),
            SoftmaxBody s => Cpu("CPU softmax (exp)", s.Channels, 80),
            LogisticBody s => Cpu("CPU logistic (exp)", s.Channels, 80),
            L2NormalizationBody s => Cpu("CPU L2 norm", s.Channels, 16),
            FullyConnectedBody f => Cpu("CPU float MACs", (double)f.InChannels * f.OutChannels + f.OutChannels, 3),
            GlobalAveragePool2DBody g => Cpu("CPU float sum", (double)g.KernelSize * g.Channels, 4),
            QuantizedMaxPool2DBody p => Cpu("CPU u8 max pool", Window(p.Window), 3),
            Pool2DBody p => Cpu("CPU float pool", Window(p.Window), 5),
            ConcatBody c => Cpu("CPU copy", c.Inputs.Sum(i => (double)i.Size), 1),
            TensorflowFlattenBody f => Cpu("CPU transpose", (double)f.Width * f.Height * f.Channels, 3),
            ResizeNearestNeighborBody r => Cpu("CPU resize", (double)r.OutWidth * r.OutHeight * r.InChannels, 6),
            _ => new LayerCostEstimate(0, 0, "no cost model for this layer type"),
        };

        LayerCostEstimate Conv(K210ConvBody c)
        {
            var r = c.Registers;
            long units = KpuTensorLayout.SizeInUnits(r.InWidth, r.InHeight, r.InChannels);
            double computeCycles = units * (double)(r.DepthWiseLayer ? 1 : r.OutChannels) / KpuEfficiency;
            double weightCycles = c.Weights.Length / KpuWeightBytesPerCycle;
            double dmaOut = c.MainMemOut ? (double)r.OutWidth * r.OutHeight * r.OutChannels / DmaBytesPerMicrosecond : 0;
            double kpu = (computeCycles + weightCycles) / KpuMhz;
            double total = kpu + dmaOut + KpuLayerSetupMicroseconds;
            string what = weightCycles > computeCycles ? "KPU weight fetch" : "KPU compute";
            return new LayerCostEstimate(total, (long)Math.Round(computeCycles + weightCycles), what);
        }
    }

    private static double Window(PoolWindow w) => (double)w.OutWidth * w.OutHeight * w.OutChannels * w.KernelWidth * w.KernelHeight;

    private static LayerCostEstimate Cpu(string what, double elements, double cyclesPerElement)
    {
        double cycles = elements * cyclesPerElement;
        return new LayerCostEstimate(cycles / CpuMhz, (long)Math.Round(cycles), what);
    }

    private static LayerCostEstimate Dma(string what, double bytes) =>
        new(bytes / DmaBytesPerMicrosecond, (long)Math.Round(bytes / DmaBytesPerMicrosecond * CpuMhz), what);
}

/// <summary>An estimated layer time (µs), the cycles behind it (CPU or KPU clock) and what dominates it.</summary>
public sealed record LayerCostEstimate(double EstimatedMicroseconds, long Cycles, string Dominant);
