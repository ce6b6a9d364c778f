using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Softplus (all opsets): y = ln(e^x + 1).</summary>
internal sealed class Softplus : UnaryFloatOperator
{
    public override string OpType => "Softplus";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];

            // ln(1 + e^v) = max(v, 0) + ln(1 + e^−|v|) keeps large inputs finite.
            y[i] = MathF.Max(v, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(v)));
        }
    }
}
