using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Tanh (all opsets).</summary>
internal sealed class Tanh : UnaryFloatOperator
{
    public override string OpType => "Tanh";

    protected override void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters)
    {
        TensorPrimitives.Tanh(x, y);
    }
}
