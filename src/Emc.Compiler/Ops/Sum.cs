using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Sum (all opsets), float32: n-ary element-wise sum with numpy broadcasting (opset ≥ 8), added left to right.</summary>
internal sealed class Sum : Operator
{
    public override string OpType => "Sum";

    public override void Infer(InferenceContext context)
    {
        if (context.InputCount == 0)
        {
            context.Invalid("needs at least one input");
            return;
        }

        var shapes = new int[context.InputCount][];
        int[] y = [];
        for (int i = 0; i < context.InputCount; i++)
        {
            var shape = OpChecks.FloatInput(context, i, "data_" + i);
            if (shape is null)
            {
                return;
            }

            shapes[i] = shape.ToArray();
            var next = i == 0 ? shapes[0] : Broadcasting.BroadcastShape(y, shapes[i]);
            if (next is null || next.Length > Broadcasting.MaxRank)
            {
                context.Invalid($"input {i} {shape} does not broadcast with [{string.Join(",", y)}]");
                return;
            }

            y = next;
        }

        context.Node.Parameters = new SumParameters(shapes, y);
        context.SetOutput(0, DataType.Float32, new Shape(y));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<SumParameters>();
        var y = context.Output<float>(0).Span;
        ReadOnlySpan<float> zero = [0f];
        Broadcasting.Binary<float>(BinaryOperation.Add, context.Input<float>(0).Span, p.InputShapes[0], zero, [], y, p.OutputShape);
        for (int i = 1; i < p.InputShapes.Length; i++)
        {
            Broadcasting.Binary<float>(BinaryOperation.Add, y, p.OutputShape, context.Input<float>(i).Span, p.InputShapes[i], y, p.OutputShape);
        }
    }
}

/// <summary>Input shapes and the broadcast output shape of a Sum node.</summary>
internal sealed record SumParameters(int[][] InputShapes, int[] OutputShape);
