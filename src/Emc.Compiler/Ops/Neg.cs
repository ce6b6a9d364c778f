using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Neg (all opsets), float32: y = −x.</summary>
internal sealed class Neg : UnaryFloatOperator
{
    public override string OpType => "Neg";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        TensorPrimitives.Negate(x, y);
    }
}
