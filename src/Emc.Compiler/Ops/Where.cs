using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Where (opset 9+): elementwise choice between X and Y by a bool condition, with broadcasting.</summary>
internal sealed class Where : Operator
{
    public override string OpType => "Where";

    public override void Infer(InferenceContext context)
    {
        for (int i = 0; i < 3; i++)
        {
            if (!OpArguments.Require(context, i, i == 0 ? "condition" : i == 1 ? "X" : "Y"))
            {
                return;
            }
        }

        if (context.Input(0)!.Type != DataType.Bool || context.Input(1)!.Type != context.Input(2)!.Type || !OpArguments.RequireStorable(context, 1))
        {
            context.Invalid($"condition must be bool and X, Y of one type (are {context.Input(0)!.Type.Name()}, {context.Input(1)!.Type.Name()}, {context.Input(2)!.Type.Name()})");
            return;
        }

        var shapes = new[] { context.InputShape(0), context.InputShape(1), context.InputShape(2) };
        var dims = BroadcastMap.Shape(shapes);
        if (dims is null)
        {
            context.Invalid($"shapes {string.Join(", ", shapes.Select(s => s.ToString()))} do not broadcast");
            return;
        }

        context.Node.Parameters = new BroadcastParameters(shapes.Select(s => BroadcastMap.Offsets(s, dims)).ToArray());
        context.SetOutput(0, context.Input(1)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var offsets = context.Parameters<BroadcastParameters>().Offsets;
        var condition = context.Input<bool>(0).Data;
        var x = ElementBytes.Of(context.Input(1));
        var y = ElementBytes.Of(context.Input(2));
        var output = context.Output(0);
        var destination = ElementBytes.Of(output);
        int size = ElementBytes.Size(output.Type);
        for (int i = 0; i < offsets[0].Length; i++)
        {
            var source = condition[offsets[0][i]] ? x.Slice(offsets[1][i] * size, size) : y.Slice(offsets[2][i] * size, size);
            source.CopyTo(destination.Slice(i * size, size));
        }
    }
}
