using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>ConstantOfShape: a tensor of the given (constant) shape filled with 'value' (one element, default float 0).
/// onnx-light models build all their weights with it.</summary>
internal sealed class ConstantOfShape : Operator
{
    public override string OpType => "ConstantOfShape";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input"))
        {
            return;
        }

        var dims = OpArguments.ConstantInts(context, 0, "input");
        if (dims is null)
        {
            return;
        }

        if (dims.Any(d => d < 0 || d > int.MaxValue))
        {
            context.Invalid($"shape [{string.Join(",", dims)}] has a negative or too large dimension");
            return;
        }

        Tensor value = Tensor.Create(new Ir.Shape(1), [0f]);
        if (context.HasAttribute("value"))
        {
            var given = context.GetTensor("value");
            if (given is null)
            {
                return;
            }

            if (given.ElementCount != 1 || !ElementBytes.IsNumeric(given.Type))
            {
                context.Invalid($"'value' must be a one-element numeric tensor, is {given.Type.Name()}{given.Shape}");
                return;
            }

            value = given;
        }

        context.Node.Parameters = value;
        context.SetOutput(0, value.Type, new Ir.Shape(dims.Select(d => (int)d).ToArray()));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var value = ElementBytes.Of(context.Parameters<Tensor>());
        var output = ElementBytes.Of(context.Output(0));
        for (int i = 0; i < output.Length; i += value.Length)
        {
            value.CopyTo(output.Slice(i, value.Length));
        }
    }
}
