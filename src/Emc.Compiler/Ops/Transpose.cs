using System.Globalization;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Transpose node: the permutation (output axis i reads input axis Perm[i]).</summary>
public sealed record TransposeParameters(int[] Perm);

/// <summary>Transpose (any rank; default permutation reverses the axes).</summary>
public sealed class Transpose : Operator
{
    public override string OpType => "Transpose";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var input = context.InputShape(0);
        var perm = context.GetInts("perm") ?? Enumerable.Range(0, input.Rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != input.Rank || perm.Any(p => p < 0 || p >= input.Rank) || perm.Distinct().Count() != perm.Length)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"perm [{string.Join(",", perm)}] is not a permutation of the {input.Rank} axes"));
            return;
        }

        var p = perm.Select(v => (int)v).ToArray();
        context.Node.Parameters = new TransposeParameters(p);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(p.Select(a => input[a]).ToArray()));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0);
        int[] perm = context.Parameters<TransposeParameters>().Perm;
        switch (ElementBytes.Size(input.Type))
        {
            case 1: Permute<byte>(ElementBytes.As<byte>(input), input.Shape, perm, ElementBytes.As<byte>(output)); break;
            case 2: Permute<ushort>(ElementBytes.As<ushort>(input), input.Shape, perm, ElementBytes.As<ushort>(output)); break;
            case 4: Permute<uint>(ElementBytes.As<uint>(input), input.Shape, perm, ElementBytes.As<uint>(output)); break;
            default: Permute<ulong>(ElementBytes.As<ulong>(input), input.Shape, perm, ElementBytes.As<ulong>(output)); break;
        }
    }

    internal static void Permute<T>(ReadOnlySpan<T> source, Ir.Shape shape, int[] perm, Span<T> destination)
        where T : unmanaged
    {
        int rank = shape.Rank;
        if (destination.Length == 0)
        {
            return;
        }

        if (rank == 0)
        {
            destination[0] = source[0];
            return;
        }

        long[] inStrides = shape.Strides();
        var outDims = new int[rank];
        var strides = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            outDims[i] = shape[perm[i]];
            strides[i] = inStrides[perm[i]];
        }

        int last = outDims[rank - 1];
        long lastStride = strides[rank - 1];
        var counter = new int[rank];
        long offset = 0;
        for (int o = 0; o < destination.Length; o += last)
        {
            var row = destination.Slice(o, last);
            if (lastStride == 1)
            {
                source.Slice((int)offset, last).CopyTo(row);
            }
            else
            {
                long s = offset;
                for (int j = 0; j < row.Length; j++, s += lastStride)
                {
                    row[j] = source[(int)s];
                }
            }

            // Advance the counter over the outer axes (odometer), keeping the input offset in step.
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                offset += strides[axis];
                if (++counter[axis] < outDims[axis])
                {
                    break;
                }

                offset -= strides[axis] * outDims[axis];
                counter[axis] = 0;
            }
        }
    }
}
