using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Shape (opsets 1-25; start/end from 15): the input's dimensions as int64. Static shapes make the result a
/// constant at import, which is what lets PyTorch's Shape→Gather→Concat→Reshape chains fold.</summary>
// Named ShapeOp so that it does not hide Emc.Compiler.Ir.Shape inside this namespace.
internal sealed class ShapeOp : Operator
{
    public override string OpType => "Shape";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data"))
        {
            return;
        }

        var dims = context.InputShape(0);
        int rank = dims.Rank;
        long start = 0, end = rank;
        if (context.Opset >= 15)
        {
            start = Clamp(context.GetInt("start", 0), rank);
            end = context.HasAttribute("end") ? Clamp(context.GetInt("end", rank), rank) : rank;
        }

        var values = new long[Math.Max(0, end - start)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = dims[(int)start + i];
        }

        var result = Tensor.Create(new Ir.Shape(values.Length), values);
        context.Node.Parameters = result;
        context.SetOutput(0, DataType.Int64, result.Shape);
        context.Node.Outputs[0].Constant = result;
    }

    public override void Evaluate(EvaluationContext context) =>
        context.Parameters<Tensor<long>>().Span.CopyTo(context.Output<long>(0).Span);

    private static long Clamp(long axis, int rank) => Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);
}
