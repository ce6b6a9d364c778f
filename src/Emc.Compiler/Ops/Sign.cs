using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Sign (opset 9+), float32: −1, 0 or 1 (NaN stays NaN).</summary>
internal sealed class Sign : UnaryFloatOperator
{
    public override string OpType => "Sign";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? 1f : v < 0f ? -1f : v;
        }
    }
}
