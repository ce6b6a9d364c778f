using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Elu (all opsets): y = x < 0 ? alpha·(e^x − 1) : x, alpha = 1.</summary>
internal sealed class Elu : UnaryFloatOperator
{
    public override string OpType => "Elu";

    protected override object? ParseAttributes(InferenceContext context) =>
        new ActivationParameters(context.GetFloat("alpha", 1f), 0f);

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        float alpha = ((ActivationParameters)parameters!).Alpha;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v < 0f ? alpha * (MathF.Exp(v) - 1f) : v;
        }
    }
}
