using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Pad node: per-axis padding before and after (negative crops) and the fill value.</summary>
internal sealed record PadParameters(long[] Begin, long[] End, double Value);

/// <summary>Pad, constant mode only: pads/value attributes before opset 11, constant inputs pads/constant_value from
/// 11, axes from 18. Negative pads crop. edge/reflect/wrap are reported as unsupported.</summary>
internal sealed class Pad : Operator
{
    public override string OpType => "Pad";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        string mode = context.GetString("mode", "constant");
        if (mode != "constant")
        {
            context.UnsupportedAttribute("mode", $"'{mode}'", "'constant'");
            return;
        }

        var input = context.InputShape(0);
        int rank = input.Rank;
        long[]? pads;
        double value = 0;
        long[]? axes = null;
        if (context.Opset < 11)
        {
            pads = context.GetInts(context.Opset < 2 ? "paddings" : "pads");
            value = context.GetFloat("value", 0f);
            if (pads is null)
            {
                context.Invalid("attribute 'pads' is required");
                return;
            }
        }
        else
        {
            if (!OpArguments.Require(context, 1, "pads"))
            {
                return;
            }

            pads = OpArguments.ConstantInts(context, 1, "pads");
            if (pads is null)
            {
                return;
            }

            if (context.HasInput(2))
            {
                var constant = context.ConstantInput(2, "constant_value");
                if (constant is null)
                {
                    return;
                }

                if (constant.ElementCount != 1 || constant.Type != context.Input(0)!.Type)
                {
                    context.Invalid($"constant_value must be one element of the data type, is {constant.Type.Name()}{constant.Shape}");
                    return;
                }

                value = ScalarConvert.ToDoubles(constant)[0];
            }

            if (context.Opset >= 18 && context.HasInput(3))
            {
                axes = OpArguments.ConstantInts(context, 3, "axes");
                if (axes is null)
                {
                    return;
                }
            }
        }

        var axisList = axes is null ? Enumerable.Range(0, rank).ToArray() : OpArguments.NormalizeAxes(context, axes, rank);
        if (axisList is null)
        {
            return;
        }

        if (pads.Length != 2 * axisList.Length)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"pads has {pads.Length} values; {2 * axisList.Length} expected (begin and end for each of {axisList.Length} axes)"));
            return;
        }

        var begin = new long[rank];
        var end = new long[rank];
        var dims = new int[rank];
        for (int k = 0; k < axisList.Length; k++)
        {
            begin[axisList[k]] = pads[k];
            end[axisList[k]] = pads[k + axisList.Length];
        }

        for (int a = 0; a < rank; a++)
        {
            long d = input[a] + begin[a] + end[a];
            if (d < 0 || d > int.MaxValue || Math.Abs(begin[a]) > int.MaxValue || Math.Abs(end[a]) > int.MaxValue)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"padding axis {a} of size {input[a]} by ({begin[a]}, {end[a]}) gives an invalid size"));
                return;
            }

            dims[a] = (int)d;
        }

        context.Node.Parameters = new PadParameters(begin, end, value);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<PadParameters>();
        var input = context.Input(0);
        var output = context.Output(0);
        ScalarConvert.Fill(output, p.Value);
        int rank = input.Shape.Rank;
        int size = ElementBytes.Size(input.Type);
        Span<int> srcStart = stackalloc int[Math.Max(rank, 1)];
        Span<int> dstStart = stackalloc int[Math.Max(rank, 1)];
        Span<int> length = stackalloc int[Math.Max(rank, 1)];
        for (int a = 0; a < rank; a++)
        {
            srcStart[a] = (int)Math.Max(0, -p.Begin[a]);
            dstStart[a] = (int)Math.Max(0, p.Begin[a]);
            length[a] = Math.Min(input.Shape[a] - srcStart[a], output.Shape[a] - dstStart[a]);
            if (length[a] <= 0)
            {
                return;
            }
        }

        var source = ElementBytes.Of(input);
        var destination = ElementBytes.Of(output);
        if (rank == 0)
        {
            source.CopyTo(destination);
            return;
        }

        long[] inStrides = input.Shape.Strides();
        long[] outStrides = output.Shape.Strides();
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        int rowBytes = length[rank - 1] * size;
        while (true)
        {
            long s = 0, d = 0;
            for (int a = 0; a < rank; a++)
            {
                s += (srcStart[a] + counter[a]) * inStrides[a];
                d += (dstStart[a] + counter[a]) * outStrides[a];
            }

            source.Slice((int)(s * size), rowBytes).CopyTo(destination.Slice((int)(d * size), rowBytes));
            int axis = rank - 2;
            for (; axis >= 0; axis--)
            {
                if (++counter[axis] < length[axis])
                {
                    break;
                }

                counter[axis] = 0;
            }

            if (axis < 0)
            {
                return;
            }
        }
    }
}
