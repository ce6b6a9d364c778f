using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>
/// Copies a strided view of a row-major tensor into a dense output: output element (i0..ik) reads input offset
/// Σ (start[a] + i_a·step[a])·stride[a]. Slice uses it directly; Transpose-like moves use permuted strides.
/// </summary>
internal static class StridedCopy
{
    /// <param name="outDims">Output dimensions.</param>
    /// <param name="origin">Input offset (elements) of output element 0.</param>
    /// <param name="steps">Input offset change per unit step of each output axis (may be negative or zero).</param>
    public static void Run<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> outDims, long origin, ReadOnlySpan<long> steps, Span<T> destination)
        where T : unmanaged
    {
        int rank = outDims.Length;
        if (destination.Length == 0)
        {
            return;
        }

        if (rank == 0)
        {
            destination[0] = source[(int)origin];
            return;
        }

        int last = outDims[rank - 1];
        long lastStep = steps[rank - 1];
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        long offset = origin;
        for (int o = 0; o < destination.Length; o += last)
        {
            var row = destination.Slice(o, last);
            if (lastStep == 1)
            {
                source.Slice((int)offset, last).CopyTo(row);
            }
            else
            {
                long s = offset;
                for (int j = 0; j < row.Length; j++, s += lastStep)
                {
                    row[j] = source[(int)s];
                }
            }

            for (int axis = rank - 2; axis >= 0; axis--)
            {
                offset += steps[axis];
                if (++counter[axis] < outDims[axis])
                {
                    break;
                }

                offset -= steps[axis] * outDims[axis];
                counter[axis] = 0;
            }
        }
    }

    /// <summary>Dispatches <see cref="Run{T}"/> on the element size of the tensors.</summary>
    public static void Run(Ir.Tensor source, ReadOnlySpan<int> outDims, long origin, ReadOnlySpan<long> steps, Ir.Tensor destination)
    {
        switch (ElementBytes.Size(source.Type))
        {
            case 1: Run<byte>(ElementBytes.As<byte>(source), outDims, origin, steps, ElementBytes.As<byte>(destination)); break;
            case 2: Run<ushort>(ElementBytes.As<ushort>(source), outDims, origin, steps, ElementBytes.As<ushort>(destination)); break;
            case 4: Run<uint>(ElementBytes.As<uint>(source), outDims, origin, steps, ElementBytes.As<uint>(destination)); break;
            default: Run<ulong>(ElementBytes.As<ulong>(source), outDims, origin, steps, ElementBytes.As<ulong>(destination)); break;
        }
    }
}
