using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Exp (all opsets): y = e^x.</summary>
internal sealed class Exp : UnaryFloatOperator
{
    public override string OpType => "Exp";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        TensorPrimitives.Exp(x, y);
    }
}
