using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Expand (opset 8+): broadcasts the input to a (constant) shape, multidirectionally.</summary>
internal sealed class Expand : Operator
{
    public override string OpType => "Expand";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input") || !OpArguments.Require(context, 1, "shape") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var target = OpArguments.ConstantInts(context, 1, "shape");
        if (target is null)
        {
            return;
        }

        if (target.Any(d => d < 0 || d > int.MaxValue))
        {
            context.Invalid($"shape [{string.Join(",", target)}] has an invalid dimension");
            return;
        }

        var input = context.InputShape(0);
        var dims = BroadcastMap.Shape([input, new Ir.Shape(target.Select(d => (int)d).ToArray())]);
        if (dims is null)
        {
            context.Invalid($"input shape {input} cannot be expanded to [{string.Join(",", target)}]");
            return;
        }

        if (OpArguments.Product(dims.Select(d => (long)d).ToArray()) > int.MaxValue)
        {
            context.Error(IrDiagnostics.UnsupportedShape, "the expanded tensor is too large");
            return;
        }

        context.Node.Parameters = new BroadcastParameters([BroadcastMap.Offsets(input, dims)]);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context) =>
        BroadcastMap.Gather(context.Input(0), context.Parameters<BroadcastParameters>().Offsets[0], context.Output(0));
}
