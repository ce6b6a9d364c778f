using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>The axes a ReduceMean averages (sorted, non-negative) and whether they stay as size-1 dimensions.</summary>
internal sealed record ReduceParameters(int[] Axes, bool KeepDims)
{
    /// <summary>True when the reduction is a global average pool of a [N, C, H, W] map (axes 2 and 3).</summary>
    public bool IsSpatialMean(int rank) => rank == 4 && Axes is [2, 3];
}

/// <summary>
/// ReduceMean (float32): the mean over <c>axes</c> (an attribute before opset 18, an optional constant input from 18;
/// none = every axis, or nothing with <c>noop_with_empty_axes</c>), keeping them as size 1 when <c>keepdims</c> (default 1).
/// PyTorch's <c>x.mean((2, 3))</c> and tf2onnx's GlobalAveragePooling2D export it.
/// </summary>
internal sealed class ReduceMean : Operator
{
    public override string OpType => "ReduceMean";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "data");
        if (x is null)
        {
            return;
        }

        var axes = OpArguments.IntsAttributeOrInput(context, "axes", 1, 18, out bool present);
        if (axes is null)
        {
            return;
        }

        int[] reduced;
        if (axes.Length == 0)
        {
            reduced = context.GetInt("noop_with_empty_axes", 0) != 0 ? [] : [.. Enumerable.Range(0, x.Rank)];
        }
        else if (OpArguments.NormalizeAxes(context, axes, x.Rank) is { } normalized)
        {
            reduced = [.. normalized.Distinct().Order()];
        }
        else
        {
            return;
        }

        long keepDims = context.GetInt("keepdims", 1);
        if (keepDims is not (0 or 1))
        {
            context.Invalid($"keepdims = {keepDims} (must be 0 or 1)");
            return;
        }

        bool keep = keepDims == 1;
        var dims = Enumerable.Range(0, x.Rank).Where(i => keep || !reduced.Contains(i)).Select(i => reduced.Contains(i) ? 1 : x[i]).ToArray();
        context.Node.Parameters = new ReduceParameters(reduced, keep);
        context.SetOutput(0, DataType.Float32, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<ReduceParameters>();
        var input = context.Input<float>(0);
        var x = input.Span;
        var shape = input.Shape;
        var y = context.Output<float>(0).Span;

        // Strides of the input and, per input axis, of the output position it maps to (0 for a reduced axis).
        int rank = shape.Rank;
        var strides = new long[rank];
        var outStrides = new long[rank];
        long s = 1, o = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }

        for (int i = rank - 1; i >= 0; i--)
        {
            if (p.Axes.Contains(i))
            {
                continue;
            }

            outStrides[i] = o;
            o *= shape[i];
        }

        var sums = new double[y.Length];
        for (long k = 0; k < x.Length; k++)
        {
            long at = 0;
            for (int i = 0; i < rank; i++)
            {
                at += k / strides[i] % shape[i] * outStrides[i];
            }

            sums[at] += x[(int)k];
        }

        long count = y.Length == 0 ? 1 : x.Length / y.Length;
        for (int j = 0; j < y.Length; j++)
        {
            y[j] = (float)(sums[j] / count);
        }
    }
}
