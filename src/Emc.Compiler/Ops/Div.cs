using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>Div: element-wise divide with broadcasting (see <see cref="BinaryArithmeticOperator"/>).</summary>
internal sealed class Div : BinaryArithmeticOperator
{
    public override string OpType => "Div";

    protected override BinaryOperation Operation => BinaryOperation.Divide;
}
