using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Shrink (opset 9+): y = x < −lambd ? x + bias : x > lambd ? x − bias : 0 (lambd 0.5, bias 0).</summary>
internal sealed class Shrink : UnaryFloatOperator
{
    public override string OpType => "Shrink";

    protected override object? ParseAttributes(InferenceContext context) =>
        new ActivationParameters(context.GetFloat("lambd", 0.5f), context.GetFloat("bias", 0f));

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        var p = (ActivationParameters)parameters!;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v < -p.Alpha ? v + p.Beta : v > p.Alpha ? v - p.Beta : 0f;
        }
    }
}
