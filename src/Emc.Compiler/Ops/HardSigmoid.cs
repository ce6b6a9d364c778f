using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>HardSigmoid (all opsets): y = max(0, min(1, alpha·x + beta)), alpha = 0.2, beta = 0.5.</summary>
internal sealed class HardSigmoid : UnaryFloatOperator
{
    public override string OpType => "HardSigmoid";

    protected override object? ParseAttributes(InferenceContext context) =>
        new ActivationParameters(context.GetFloat("alpha", 0.2f), context.GetFloat("beta", 0.5f));

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        var p = (ActivationParameters)parameters!;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = MathF.Max(0f, MathF.Min(1f, (p.Alpha * x[i]) + p.Beta));
        }
    }
}
