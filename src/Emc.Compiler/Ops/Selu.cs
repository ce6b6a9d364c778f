using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Selu (all opsets): y = gamma·(x ≤ 0 ? alpha·e^x − alpha : x).</summary>
internal sealed class Selu : UnaryFloatOperator
{
    public override string OpType => "Selu";

    protected override object? ParseAttributes(InferenceContext context) =>
        new ActivationParameters(context.GetFloat("alpha", 1.67326319217681884765625f), context.GetFloat("gamma", 1.05070102214813232421875f));

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        var p = (ActivationParameters)parameters!;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = p.Beta * (v <= 0f ? (p.Alpha * MathF.Exp(v)) - p.Alpha : v);
        }
    }
}
