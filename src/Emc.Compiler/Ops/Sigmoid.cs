using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Sigmoid (all opsets): y = 1 / (1 + e^−x).</summary>
internal sealed class Sigmoid : UnaryFloatOperator
{
    public override string OpType => "Sigmoid";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        TensorPrimitives.Sigmoid(x, y);
    }
}
