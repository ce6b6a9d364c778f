using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Constant (opsets 1-25): value (tensor), and from opset 12 value_float(s) / value_int(s). Import turns it
/// into a constant value; strings and sparse tensors are rejected.</summary>
internal sealed class Constant : Operator
{
    public override string OpType => "Constant";

    public override void Infer(InferenceContext context)
    {
        var set = context.Node.Attributes.Keys.ToArray();
        if (set.Length != 1)
        {
            context.Invalid($"exactly one value attribute is required, found {set.Length} ({string.Join(", ", set)})");
            return;
        }

        Tensor? tensor = set[0] switch
        {
            "value" => context.GetTensor("value"),
            "value_float" => Tensor.Create(Shape.Scalar, [context.GetFloat("value_float", 0)]),
            "value_floats" => context.GetFloats("value_floats") is { } f ? Tensor.Create(new Shape(f.Length), (float[])f.Clone()) : null,
            "value_int" => Tensor.Create(Shape.Scalar, [context.GetInt("value_int", 0)]),
            "value_ints" => context.GetInts("value_ints") is { } i ? Tensor.Create(new Shape(i.Length), (long[])i.Clone()) : null,
            _ => null,
        };

        if (tensor is null)
        {
            if (!context.Failed)
            {
                context.UnsupportedAttribute(set[0], "(string or sparse constant)", "value, value_float(s), value_int(s) with numeric data");
            }

            return;
        }

        context.Node.Parameters = tensor;
        context.SetOutput(0, tensor.Type, tensor.Shape);
    }

    public override void Evaluate(EvaluationContext context) =>
        ElementBytes.Of(context.Parameters<Tensor>()).CopyTo(ElementBytes.Of(context.Output(0)));
}
