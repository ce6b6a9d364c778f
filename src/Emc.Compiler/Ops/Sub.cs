using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>Sub: element-wise subtract with broadcasting (see <see cref="BinaryArithmeticOperator"/>).</summary>
internal sealed class Sub : BinaryArithmeticOperator
{
    public override string OpType => "Sub";

    protected override BinaryOperation Operation => BinaryOperation.Subtract;
}
