using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Identity (all opsets): a copy. Import removes it (consumers read the input).</summary>
internal sealed class Identity : Operator
{
    public override string OpType => "Identity";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var x = context.Input(0)!;
        context.SetOutput(0, x.Type, x.Shape!);
    }

    public override void Evaluate(EvaluationContext context) =>
        ElementBytes.Of(context.Input(0)).CopyTo(ElementBytes.Of(context.Output(0)));
}
