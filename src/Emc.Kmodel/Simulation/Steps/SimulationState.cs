using System.Runtime.InteropServices;

namespace Emc.Kmodel.Simulation.Steps;

/// <summary>The device memories of one simulator (main buffer, 2 MiB KPU RAM) and its work arrays.</summary>
internal sealed class SimulationState
{
    public SimulationState(int mainMemoryBytes)
    {
        Main = new byte[mainMemoryBytes];
    }

    public byte[] Main { get; }

    public byte[] Kpu { get; } = new byte[KpuMapAddressing.RamBytes];

    public ScratchBuffers Scratch { get; } = new();

    public Span<float> MainFloats(uint address, long count) => MemoryMarshal.Cast<byte, float>(Main.AsSpan((int)address, (int)(count * 4)));

    public Span<byte> MainBytes(uint address, long count) => Main.AsSpan((int)address, (int)count);
}

/// <summary>One layer prepared for execution. Every memory range was checked when it was built.</summary>
internal abstract class SimulationStep
{
    protected SimulationStep(int index, KmodelLayerType type)
    {
        Index = index;
        Type = type;
    }

    public int Index { get; }

    public KmodelLayerType Type { get; }

    public abstract void Run(SimulationState state);

    /// <summary>The bytes this layer wrote (for tracing).</summary>
    public abstract ReadOnlySpan<byte> Written(SimulationState state);
}
