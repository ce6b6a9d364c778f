using Emc.Compiler.Ir;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.K210.Graph;

/// <summary>Element type of a lowered tensor.</summary>
internal enum K210ElementType
{
    UInt8,
    Float32,
}

/// <summary>Where a lowered tensor lives on the device.</summary>
internal enum K210MemoryKind
{
    /// <summary>KPU RAM, in the 64-byte-unit layout of spec §3.2.</summary>
    Kpu,

    /// <summary>The CPU main buffer, planar NCHW.</summary>
    Main,
}

/// <summary>
/// One tensor of the lowered graph: a C×H×W map (vectors: C×1×1) in one memory kind and element type.
/// uint8 tensors carry a quantization, resolved after calibration from <see cref="RangeSource"/> (an IR value
/// whose calibrated range defines it) or <see cref="QuantFrom"/> (layers that cannot rescale share it).
/// </summary>
internal sealed class K210Tensor
{
    public K210Tensor(string name, K210ElementType type, K210MemoryKind memory, int channels, int height, int width)
    {
        Name = name;
        Type = type;
        Memory = memory;
        Channels = channels;
        Height = height;
        Width = width;
    }

    public string Name { get; }

    public K210ElementType Type { get; }

    public K210MemoryKind Memory { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public long ElementCount => (long)Channels * Height * Width;

    public int ElementSize => Type == K210ElementType.UInt8 ? 1 : 4;

    /// <summary>Bytes in main memory (planar, unpadded).</summary>
    public long Bytes => ElementCount * ElementSize;

    /// <summary>The IR value whose calibrated range gives this uint8 tensor its quantization.</summary>
    public Value? RangeSource { get; set; }

    /// <summary>Where channel i's values are those of <see cref="RangeSource"/>'s channel <c>RangeChannels[i]</c> (or a
    /// part of them): a per-channel PRelu's halves. Null: channel i is the value's channel i.</summary>
    public int[]? RangeChannels { get; set; }

    /// <summary>Another uint8 tensor whose quantization this one shares (max-pool, upload, pick, reshape).</summary>
    public K210Tensor? QuantFrom { get; set; }

    /// <summary>Fixed quantization (the graph input); set after calibration for the others. For a tensor with
    /// <see cref="ChannelQuant"/>, the per-tensor reference those channel scales were widened from.</summary>
    public QuantParam? Quant { get; set; }

    /// <summary>Per-channel quantization (one shared zero point, a scale per channel), set by quantization where every
    /// layer that reads the tensor can take it (<see cref="Quantization.PerChannelActivationRanges"/>).</summary>
    public IReadOnlyList<QuantParam>? ChannelQuant { get; set; }

    /// <summary>The quantization of channel <paramref name="channel"/>.</summary>
    public QuantParam QuantOf(int channel) => ChannelQuant?[channel] ?? Quant!.Value;

    /// <summary>The tensor whose memory this one reuses (reshape/flatten views share the bytes).</summary>
    public K210Tensor? AliasOf { get; set; }

    /// <summary>Where an alias starts inside <see cref="AliasOf"/>: bytes (main memory) or units (KPU RAM). Producers
    /// that write slices of one buffer (exclusive concat, split convs) are aliases at offsets.</summary>
    public long AliasOffset { get; set; }

    /// <summary>
    /// Set when the tensor holds the un-sampled stride-1 map of a strided conv: the IR value it stands for is
    /// <c>map[r0 + s·i][c0 + s·j]</c> (applied later by a pick or a consumer's pool type).
    /// </summary>
    public MapSampling? Sampling { get; set; }

    /// <summary>Extra KPU units to reserve after the map (a consumer reads it shifted by one row).</summary>
    public int KpuTailUnits { get; set; }

    /// <summary>The device input: fed by the runtime, never allocated in main memory.</summary>
    public bool IsDeviceInput { get; set; }

    /// <summary>Assigned by the memory planner: byte offset in main memory or first KPU unit.</summary>
    public long Address { get; set; } = -1;

    public override string ToString() => $"{Name} {Type} {Memory} {Channels}x{Height}x{Width}";
}

/// <summary>A subsampling <c>map[RowOffset + Stride·i][ColOffset + Stride·j]</c>.</summary>
internal sealed record MapSampling(int RowOffset, int ColOffset, int Stride);
