namespace Emc.Compiler.K210.Kpu;

/// <summary>
/// The float parameters of one KPU convolution after BatchNormalization/bias folding: weights in OIHW order
/// (<c>[oc][ic][k][k]</c>; depthwise <c>[c][k][k]</c>) and one bias per output channel.
/// </summary>
internal sealed record KpuConvWeights(int InChannels, int OutChannels, int KernelSize, bool Depthwise, float[] Weights, float[] Bias)
{
    /// <summary>Weights per output channel: IC·k² (regular) or k² (depthwise).</summary>
    public int WeightsPerOutput => (Depthwise ? 1 : InChannels) * KernelSize * KernelSize;

    public ReadOnlySpan<float> Channel(int oc) => Weights.AsSpan(oc * WeightsPerOutput, WeightsPerOutput);
}
