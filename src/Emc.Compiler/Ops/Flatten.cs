using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Flatten: to 2-D around axis (default 1; negative from opset 11).</summary>
internal sealed class Flatten : Operator
{
    public override string OpType => "Flatten";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var input = context.InputShape(0);
        long axis = context.GetInt("axis", 1);
        if (axis < 0)
        {
            axis += input.Rank;
        }

        if (axis < 0 || axis > input.Rank || (context.Opset < 11 && context.GetInt("axis", 1) < 0))
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"axis = {context.GetInt("axis", 1)} is out of range for rank {input.Rank}"));
            return;
        }

        long outer = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= input[i];
        }

        long inner = outer == 0 ? 0 : input.ElementCount / outer;
        if (outer == 0)
        {
            inner = 1;
            for (int i = (int)axis; i < input.Rank; i++)
            {
                inner *= input[i];
            }
        }

        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape((int)outer, (int)inner));
    }

    public override void Evaluate(EvaluationContext context) =>
        ElementBytes.Of(context.Input(0)).CopyTo(ElementBytes.Of(context.Output(0)));
}
