using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Unsqueeze: inserts size-1 axes (axes attribute before opset 13, constant input from 13), positions
/// relative to the output rank, negative from opset 11.</summary>
internal sealed class Unsqueeze : Operator
{
    public override string OpType => "Unsqueeze";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var axes = OpArguments.IntsAttributeOrInput(context, "axes", 1, 13, out bool present);
        if (axes is null)
        {
            return;
        }

        if (!present || axes.Length == 0)
        {
            context.Invalid("'axes' is required");
            return;
        }

        var input = context.InputShape(0);
        int rank = input.Rank + axes.Length;
        var normalized = OpArguments.NormalizeAxes(context, axes, rank);
        if (normalized is null)
        {
            return;
        }

        var dims = new int[rank];
        var inserted = new bool[rank];
        foreach (int a in normalized)
        {
            inserted[a] = true;
        }

        for (int i = 0, k = 0; i < rank; i++)
        {
            dims[i] = inserted[i] ? 1 : input[k++];
        }

        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context) =>
        ElementBytes.Of(context.Input(0)).CopyTo(ElementBytes.Of(context.Output(0)));
}
