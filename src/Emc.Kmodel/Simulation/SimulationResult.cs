using System.Runtime.InteropServices;

namespace Emc.Kmodel.Simulation;

/// <summary>One output-table entry after a run: its raw main-memory bytes.</summary>
public sealed class SimulationOutput
{
    public SimulationOutput(int index, uint address, byte[] bytes)
    {
        Index = index;
        Address = address;
        Bytes = bytes;
    }

    public int Index { get; }

    public uint Address { get; }

    public byte[] Bytes { get; }

    /// <summary>The bytes read as little-endian float32 (nncase outputs are float); null when the size is not a multiple of 4.</summary>
    public float[]? AsFloat32() => Bytes.Length % 4 == 0 ? MemoryMarshal.Cast<byte, float>(Bytes).ToArray() : null;
}

/// <summary>The outputs of one inference, in output-table order.</summary>
public sealed class SimulationResult
{
    public SimulationResult(IReadOnlyList<SimulationOutput> outputs)
    {
        Outputs = outputs;
    }

    public IReadOnlyList<SimulationOutput> Outputs { get; }
}
