namespace Emc.Compiler.K210.Kpu;

/// <summary>The non-linearity a KPU conv applies after batch-norm (spec §6.3, §7.6).</summary>
internal enum KpuActivationKind
{
    /// <summary>Identity; also ReLU, ReLU6 and Clip, whose bounds the output range's clamp implements.</summary>
    Linear,

    /// <summary>LeakyReLU / PReLU with one shared slope: the table of spec §7.6.</summary>
    Leaky,

    /// <summary>
    /// A per-channel PRelu as two halves of the output channels (see PerChannelPReluAsHalves): ReLU on the first half;
    /// on the second, whose weights carry the slopes a, min(x, 0) where a ≥ 0 and ReLU where a &lt; 0. The halves'
    /// sum is the PRelu.
    /// </summary>
    ReluAndNegativePart,
}

/// <summary>An activation with its parameter (the slope for <see cref="KpuActivationKind.Leaky"/>).</summary>
internal readonly record struct KpuActivationFunction(KpuActivationKind Kind, float Alpha = 0, float[]? Slopes = null)
{
    public static KpuActivationFunction Linear { get; } = new(KpuActivationKind.Linear);

    public static KpuActivationFunction Leaky(float alpha) => new(KpuActivationKind.Leaky, alpha);

    public static KpuActivationFunction ReluAndNegativePart(float[] slopes) => new(KpuActivationKind.ReluAndNegativePart, Slopes: slopes);

    /// <summary>For <see cref="KpuActivationKind.ReluAndNegativePart"/>: whether output channel o takes min(x, 0) (else ReLU).</summary>
    public bool IsNegativePart(int channel, int channels) =>
        Kind == KpuActivationKind.ReluAndNegativePart && channel >= channels / 2 && Slopes![channel - (channels / 2)] >= 0;

    /// <summary>Float reference: what the activation does to a real value of output channel <paramref name="channel"/> of <paramref name="channels"/>.</summary>
    public double Apply(double x, int channel, int channels) => Kind switch
    {
        KpuActivationKind.Leaky => x < 0 ? x * Alpha : x,
        KpuActivationKind.ReluAndNegativePart => IsNegativePart(channel, channels) ? Math.Min(x, 0) : Math.Max(x, 0),
        _ => x,
    };
}
