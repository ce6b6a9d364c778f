using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Kpu;

/// <summary>
/// Every integer a K210_CONV needs besides its shapes and addresses (spec §5.2 word 4, 9, 10, §5.3–§5.5),
/// derived by <see cref="KpuConvQuantizer"/>.
/// </summary>
internal sealed record KpuConvQuantization(
    byte[] WeightBytes,
    int WeightBits,
    KpuBatchNorm[] BatchNorm,
    KpuActivationTable Activation,
    int ArgX,
    int ShrX,
    int ArgW,
    int ShrW,
    long ArgAdd,
    byte PadValue,
    QuantParam WeightQuant,
    double[] ChannelScales)
{
    /// <summary>The float bias norm_add realises (after bias correction).</summary>
    public double[]? EffectiveBias { get; init; }
}
