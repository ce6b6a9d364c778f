using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>PRelu: y = x &lt; 0 ? slope·x : x; the slope broadcasts to X (opset ≥ 7), or (opset ≤ 6) is one value
/// or one per channel.</summary>
internal sealed class PRelu : Operator
{
    public override string OpType => "PRelu";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        var slope = OpChecks.FloatInput(context, 1, "slope");
        if (x is null || slope is null)
        {
            return;
        }

        int[] slopeShape = slope.ToArray();
        if (context.Opset < 7 && slope.Rank == 1 && x.Rank > 2 && slope[0] == x[1])
        {
            slopeShape = [slope[0], .. Enumerable.Repeat(1, x.Rank - 2)];
        }

        var y = Broadcasting.BroadcastShape(x.ToArray(), slopeShape);
        if (y is null || !y.AsSpan().SequenceEqual(x.Dims) || y.Length > Broadcasting.MaxRank)
        {
            context.Invalid($"slope {slope} does not broadcast to X {x}");
            return;
        }

        context.Node.Parameters = new BinaryParameters(BinaryOperation.PRelu, x.ToArray(), slopeShape, y);
        context.SetOutput(0, DataType.Float32, x);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<BinaryParameters>();
        Broadcasting.Binary<float>(BinaryOperation.PRelu, context.Input<float>(0).Span, p.AShape, context.Input<float>(1).Span,
            p.BShape, context.Output<float>(0).Span, p.YShape);
    }
}
