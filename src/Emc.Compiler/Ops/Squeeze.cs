using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Squeeze: removes size-1 axes (axes attribute before opset 13, optional constant input from 13; none = all).</summary>
internal sealed class Squeeze : Operator
{
    public override string OpType => "Squeeze";

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

        var input = context.InputShape(0);
        var remove = new bool[input.Rank];
        if (!present)
        {
            for (int i = 0; i < input.Rank; i++)
            {
                remove[i] = input[i] == 1;
            }
        }
        else
        {
            var normalized = OpArguments.NormalizeAxes(context, axes, input.Rank);
            if (normalized is null)
            {
                return;
            }

            foreach (int a in normalized)
            {
                if (input[a] != 1)
                {
                    context.Invalid(string.Create(CultureInfo.InvariantCulture, $"axis {a} has size {input[a]}, not 1, and cannot be squeezed"));
                    return;
                }

                remove[a] = true;
            }
        }

        var dims = Enumerable.Range(0, input.Rank).Where(i => !remove[i]).Select(i => input[i]).ToArray();
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context) =>
        ElementBytes.Of(context.Input(0)).CopyTo(ElementBytes.Of(context.Output(0)));
}
