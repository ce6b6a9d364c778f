using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>
/// Multidirectional (numpy) broadcasting for the shape and logic operators (Expand, Where, Equal, Min…): the
/// output shape, and for each input the element it contributes to every output position, computed once at import.
/// </summary>
internal static class BroadcastMap
{
    /// <summary>The broadcast shape, or null when the shapes are incompatible.</summary>
    public static int[]? Shape(IEnumerable<Ir.Shape> shapes)
    {
        int[] result = [];
        foreach (var shape in shapes)
        {
            int rank = Math.Max(result.Length, shape.Rank);
            var merged = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                int a = i - (rank - result.Length) is int ia && ia >= 0 ? result[ia] : 1;
                int b = i - (rank - shape.Rank) is int ib && ib >= 0 ? shape[ib] : 1;
                if (a != b && a != 1 && b != 1)
                {
                    return null;
                }

                merged[i] = a == 1 ? b : a;
            }

            result = merged;
        }

        return result;
    }

    /// <summary>For every output element (row-major over <paramref name="outDims"/>), the offset of the input element it reads.</summary>
    public static int[] Offsets(Ir.Shape input, int[] outDims)
    {
        int rank = outDims.Length;
        long count = 1;
        foreach (int d in outDims)
        {
            count *= d;
        }

        var offsets = new int[count];
        if (count == 0)
        {
            return offsets;
        }

        long[] inStrides = input.Strides();
        var strides = new long[rank];
        for (int i = 0; i < input.Rank; i++)
        {
            int axis = rank - input.Rank + i;
            strides[axis] = input[i] == 1 ? 0 : inStrides[i];
        }

        var counter = new int[rank];
        long offset = 0;
        for (long o = 0; o < count; o++)
        {
            offsets[o] = (int)offset;
            for (int axis = rank - 1; axis >= 0; axis--)
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

        return offsets;
    }

    /// <summary>destination[i] = source[offsets[i]] for any element type.</summary>
    public static void Gather(Tensor source, int[] offsets, Tensor destination)
    {
        switch (ElementBytes.Size(source.Type))
        {
            case 1: Gather<byte>(ElementBytes.As<byte>(source), offsets, ElementBytes.As<byte>(destination)); break;
            case 2: Gather<ushort>(ElementBytes.As<ushort>(source), offsets, ElementBytes.As<ushort>(destination)); break;
            case 4: Gather<uint>(ElementBytes.As<uint>(source), offsets, ElementBytes.As<uint>(destination)); break;
            default: Gather<ulong>(ElementBytes.As<ulong>(source), offsets, ElementBytes.As<ulong>(destination)); break;
        }
    }

    private static void Gather<T>(ReadOnlySpan<T> source, int[] offsets, Span<T> destination)
        where T : unmanaged
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = source[offsets[i]];
        }
    }
}
