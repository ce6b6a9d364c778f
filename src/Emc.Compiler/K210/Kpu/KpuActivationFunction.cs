namespace Emc.Compiler.K210.Kpu;

/// <summary>The non-linearity a KPU conv applies after batch-norm (spec §6.3, §7.6).</summary>
internal enum KpuActivationKind
{
    /// <summary>Identity; also ReLU, ReLU6 and Clip, whose bounds the output range's clamp implements.</summary>
    Linear,

    /// <summary>LeakyReLU / PReLU with one shared slope: the table of spec §7.6.</summary>
    Leaky,
}

/// <summary>An activation with its parameter (the slope for <see cref="KpuActivationKind.Leaky"/>).</summary>
internal readonly record struct KpuActivationFunction(KpuActivationKind Kind, float Alpha = 0)
{
    public static KpuActivationFunction Linear { get; } = new(KpuActivationKind.Linear);

    public static KpuActivationFunction Leaky(float alpha) => new(KpuActivationKind.Leaky, alpha);

    /// <summary>Float reference: what the activation does to a real value.</summary>
    public float Apply(float x) => Kind == KpuActivationKind.Leaky && x < 0 ? x * Alpha : x;
}
