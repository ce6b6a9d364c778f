using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Not (all opsets): logical negation of a bool tensor.</summary>
internal sealed class Not : Operator
{
    public override string OpType => "Not";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "X"))
        {
            return;
        }

        if (context.Input(0)!.Type != DataType.Bool)
        {
            context.Error(IrDiagnostics.UnsupportedType, $"input must be bool, is {context.Input(0)!.Type.Name()}");
            return;
        }

        context.SetOutput(0, DataType.Bool, context.InputShape(0));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input<bool>(0).Data;
        var y = context.Output<bool>(0).Data;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = !x[i];
        }
    }
}
