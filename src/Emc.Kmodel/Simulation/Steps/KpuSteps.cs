namespace Emc.Kmodel.Simulation.Steps;

internal sealed class ConvStep(int index, KpuConvEngine engine) : SimulationStep(index, KmodelLayerType.K210Conv)
{
    public KpuConvEngine Engine { get; } = engine;

    public override void Run(SimulationState s)
        => Engine.Run(s.Scratch, s.Kpu, s.Main, s.Scratch.Output(Engine.Layer.OutputBytes));

    /// <summary>The planar OC×OH×OW result of the last run (what the DMA sends to main memory).</summary>
    public override ReadOnlySpan<byte> Written(SimulationState s) => s.Scratch.Output(Engine.Layer.OutputBytes);
}

/// <summary>K210_ADD_PADDING: byte c → pixel (0,0) of channel c of a 4×4 map (W ≤ 16 layout); other pixels untouched.</summary>
internal sealed class AddPaddingStep(int index, K210AddPaddingBody b) : SimulationStep(index, KmodelLayerType.K210AddPadding)
{
    public KpuMapAddressing Map { get; } = KpuMapAddressing.ForWidth((int)b.KpuMemOut, (int)b.Channels, 4, 4);

    public override void Run(SimulationState s)
    {
        Span<byte> src = s.MainBytes(b.MainMemIn, b.Channels);
        for (int c = 0; c < src.Length; c++)
        {
            s.Kpu[(int)Map.Offset(c, 0, 0)] = src[c];
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s)
    {
        long start = (long)b.KpuMemOut * KpuMapAddressing.UnitBytes;
        return s.Kpu.AsSpan((int)start, (int)(Map.EndOffset() - start));
    }
}

internal sealed class RemovePaddingStep(int index, K210RemovePaddingBody b) : SimulationStep(index, KmodelLayerType.K210RemovePadding)
{
    public override void Run(SimulationState s)
    {
        for (int c = 0; c < b.Channels; c++)
        {
            s.Main[(int)b.MainMemOut + c] = s.Main[(int)b.MainMemIn + (c * 16)];
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.MainMemOut, b.Channels);
}

/// <summary>K210_UPLOAD: planar CHW from main memory into the §3.2 layout for its width.</summary>
internal sealed class UploadStep(int index, K210UploadBody b) : SimulationStep(index, KmodelLayerType.K210Upload)
{
    public KpuMapAddressing Map { get; } = KpuMapAddressing.ForWidth((int)b.KpuMemOut, (int)b.Channels, (int)b.Height, (int)b.Width);

    public long Bytes => (long)b.Width * b.Height * b.Channels;

    public override void Run(SimulationState s) => Map.Scatter(s.MainBytes(b.MainMemIn, Bytes), s.Kpu);

    public override ReadOnlySpan<byte> Written(SimulationState s)
    {
        long start = (long)b.KpuMemOut * KpuMapAddressing.UnitBytes;
        return s.Kpu.AsSpan((int)start, (int)(Map.EndOffset() - start));
    }
}
