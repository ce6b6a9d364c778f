using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>Add: element-wise add with broadcasting (see <see cref="BinaryArithmeticOperator"/>).</summary>
internal sealed class Add : BinaryArithmeticOperator
{
    public override string OpType => "Add";

    protected override BinaryOperation Operation => BinaryOperation.Add;
}
