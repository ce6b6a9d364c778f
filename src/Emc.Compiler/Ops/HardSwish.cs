using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>HardSwish (opset 14+): y = x · max(0, min(1, x/6 + 1/2)).</summary>
internal sealed class HardSwish : UnaryFloatOperator
{
    public override string OpType => "HardSwish";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v * MathF.Max(0f, MathF.Min(1f, (v / 6f) + 0.5f));
        }
    }
}
