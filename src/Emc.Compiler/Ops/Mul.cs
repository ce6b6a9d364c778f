using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>Mul: element-wise multiply with broadcasting (see <see cref="BinaryArithmeticOperator"/>).</summary>
internal sealed class Mul : BinaryArithmeticOperator
{
    public override string OpType => "Mul";

    protected override BinaryOperation Operation => BinaryOperation.Multiply;
}
