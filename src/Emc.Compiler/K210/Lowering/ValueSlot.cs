using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// A subsampling of a KPU map still to be applied: the logical tensor is <c>map[r0 + s·i][c0 + s·j]</c>
/// (i &lt; Height, j &lt; Width). A following 1×1 conv can absorb it into its pool type; otherwise a CPU pick
/// realises it.
/// </summary>
/// <param name="Replicated">The map is the sampled one repeated Stride×Stride times (a pointwise conv on an upsampled small
/// map), so another pointwise conv can run on the map as it is.</param>
internal sealed record PendingSample(int RowOffset, int ColOffset, int Stride, int Height, int Width, bool Replicated = false);

/// <summary>Every device representation of one IR value created so far.</summary>
internal sealed class ValueSlot
{
    /// <summary>uint8 map in KPU RAM (for a pending sample: the un-sampled map).</summary>
    public K210Tensor? Kpu { get; set; }

    /// <summary>The KPU conv that writes <see cref="Kpu"/> (it can also write main memory).</summary>
    public KpuConvLayer? KpuProducer { get; set; }

    public PendingSample? Sample { get; set; }

    public K210Tensor? MainU8 { get; set; }

    /// <summary>uint8 in main memory as row bands (<see cref="Fusions.ConvByRowBands"/>), before or instead of a planar join.</summary>
    public Fusions.ConvByRowBands.BandedMap? Bands { get; set; }

    public K210Tensor? Float { get; set; }

    /// <summary>
    /// Set when <see cref="Float"/> holds [relu(z); relu(−z)] standing for PRelu(z) with these slopes
    /// (<see cref="Fusions.PerChannelPReluAfterFullyConnected"/>); only products with constant weights read it.
    /// </summary>
    public float[]? ReluPairSlopes { get; set; }

    /// <summary>The value could not be lowered (already reported); consumers stay silent.</summary>
    public bool Failed { get; set; }
}
