using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>LeakyRelu (all opsets): y = x < 0 ? alpha·x : x, alpha = 0.01 by default.</summary>
internal sealed class LeakyRelu : UnaryFloatOperator
{
    public override string OpType => "LeakyRelu";

    protected override object? ParseAttributes(InferenceContext context) =>
        new ActivationParameters(context.GetFloat("alpha", 0.01f), 0f);

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        float alpha = ((ActivationParameters)parameters!).Alpha;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v < 0f ? v * alpha : v;
        }
    }
}
