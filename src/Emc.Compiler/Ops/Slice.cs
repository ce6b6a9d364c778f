using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Slice node: per input axis, the first index and the step.</summary>
internal sealed record SliceParameters(long[] Starts, long[] Steps);

/// <summary>Slice: starts/ends/axes as attributes before opset 10, constant inputs (with steps) from 10.
/// Negative indices count from the end; out-of-range values clamp as the specification says.</summary>
internal sealed class Slice : Operator
{
    public override string OpType => "Slice";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        long[]? starts, ends, axes, steps;
        if (context.Opset < 10)
        {
            starts = context.GetInts("starts");
            ends = context.GetInts("ends");
            axes = context.GetInts("axes");
            steps = null;
            if (starts is null || ends is null)
            {
                context.Invalid("attributes 'starts' and 'ends' are required");
                return;
            }
        }
        else
        {
            if (!OpArguments.Require(context, 1, "starts") || !OpArguments.Require(context, 2, "ends"))
            {
                return;
            }

            starts = OpArguments.ConstantInts(context, 1, "starts");
            ends = OpArguments.ConstantInts(context, 2, "ends");
            axes = context.HasInput(3) ? OpArguments.ConstantInts(context, 3, "axes") : null;
            steps = context.HasInput(4) ? OpArguments.ConstantInts(context, 4, "steps") : null;
            if (starts is null || ends is null || (context.HasInput(3) && axes is null) || (context.HasInput(4) && steps is null))
            {
                return;
            }
        }

        var input = context.InputShape(0);
        int rank = input.Rank;
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            context.Invalid($"starts, ends, axes and steps must have the same length ({starts.Length}, {ends.Length}, {axes.Length}, {steps.Length})");
            return;
        }

        var normalized = OpArguments.NormalizeAxes(context, axes, rank);
        if (normalized is null)
        {
            return;
        }

        var first = new long[rank];
        var step = Enumerable.Repeat(1L, rank).ToArray();
        var dims = input.ToArray();
        for (int k = 0; k < normalized.Length; k++)
        {
            int a = normalized[k];
            long d = input[a];
            long s = steps[k];
            if (s == 0)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"steps[{k}] is 0"));
                return;
            }

            long start = starts[k] < 0 ? SafeAdd(starts[k], d) : starts[k];
            long end = ends[k] < 0 ? SafeAdd(ends[k], d) : ends[k];
            long count;
            if (s > 0)
            {
                start = Math.Clamp(start, 0, d);
                end = Math.Clamp(end, 0, d);
                count = end > start ? ((end - start) + s - 1) / s : 0;
            }
            else
            {
                start = Math.Clamp(start, 0, d - 1);
                end = Math.Clamp(end, -1, d - 1);
                count = start > end ? ((start - end) + (-s) - 1) / (-s) : 0;
            }

            first[a] = count == 0 ? 0 : start;
            step[a] = s;
            dims[a] = (int)count;
        }

        context.Node.Parameters = new SliceParameters(first, step);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<SliceParameters>();
        var input = context.Input(0);
        var output = context.Output(0);
        long[] strides = input.Shape.Strides();
        long origin = 0;
        Span<long> steps = stackalloc long[strides.Length];
        for (int a = 0; a < strides.Length; a++)
        {
            origin += p.Starts[a] * strides[a];
            steps[a] = p.Steps[a] * strides[a];
        }

        StridedCopy.Run(input, output.Shape.Dims, origin, steps, output);
    }

    private static long SafeAdd(long a, long b) => a < long.MinValue / 2 ? a : a + b;
}
