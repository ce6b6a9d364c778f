using System.Numerics;
using System.Numerics.Tensors;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>
/// Element-wise binary operations with numpy (multidirectional) broadcasting. Same-shape and scalar operands go
/// straight to vectorised spans; otherwise dimensions are aligned, runs that are contiguous for both operands are
/// merged, and the innermost run is computed as one vectorised span (full, scalar or per-channel operand).
/// The output may be the same buffer as an operand of the output's shape (in-place accumulation).
/// </summary>
internal static class Broadcasting
{
    public const int MaxRank = 8;

    /// <summary>The broadcast shape, or null when the shapes are incompatible.</summary>
    public static int[]? BroadcastShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    public static void Binary<T>(BinaryOperation op, ReadOnlySpan<T> a, ReadOnlySpan<int> aShape, ReadOnlySpan<T> b,
        ReadOnlySpan<int> bShape, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged, INumber<T>
    {
        if (y.Length == 0)
        {
            return;
        }

        if (a.Length == y.Length && b.Length == y.Length)
        {
            Row(op, a, 1, b, 1, y);
            return;
        }

        if (b.Length == 1 && a.Length == y.Length)
        {
            Row(op, a, 1, b, 0, y);
            return;
        }

        if (a.Length == 1 && b.Length == y.Length)
        {
            Row(op, a, 0, b, 1, y);
            return;
        }

        int rank = yShape.Length;
        if (rank > MaxRank)
        {
            throw new ArgumentException($"rank {rank} exceeds {MaxRank}");
        }

        Span<int> dims = stackalloc int[MaxRank];
        Span<int> strideA = stackalloc int[MaxRank];
        Span<int> strideB = stackalloc int[MaxRank];
        int count = Collapse(aShape, bShape, yShape, dims, strideA, strideB);

        int inner = dims[count - 1], sa = strideA[count - 1], sb = strideB[count - 1];
        Span<int> index = stackalloc int[MaxRank];
        index.Clear();
        int offsetA = 0, offsetB = 0;
        for (int offsetY = 0; offsetY < y.Length; offsetY += inner)
        {
            Row(op, a.Slice(offsetA, sa == 0 ? 1 : inner), sa, b.Slice(offsetB, sb == 0 ? 1 : inner), sb, y.Slice(offsetY, inner));

            // Odometer over the outer dimensions.
            for (int d = count - 2; d >= 0; d--)
            {
                index[d]++;
                offsetA += strideA[d];
                offsetB += strideB[d];
                if (index[d] < dims[d])
                {
                    break;
                }

                offsetA -= strideA[d] * dims[d];
                offsetB -= strideB[d] * dims[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Aligns both operands to the output rank, drops unit dimensions and merges dimensions that are
    /// contiguous for both. Returns the number of dimensions left (at least 1).</summary>
    private static int Collapse(ReadOnlySpan<int> aShape, ReadOnlySpan<int> bShape, ReadOnlySpan<int> yShape,
        Span<int> dims, Span<int> strideA, Span<int> strideB)
    {
        int rank = yShape.Length;
        Span<int> fullA = stackalloc int[MaxRank];
        Span<int> fullB = stackalloc int[MaxRank];
        int sa = 1, sb = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int da = i - (rank - aShape.Length) >= 0 ? aShape[i - (rank - aShape.Length)] : 1;
            int db = i - (rank - bShape.Length) >= 0 ? bShape[i - (rank - bShape.Length)] : 1;
            fullA[i] = da == 1 ? 0 : sa;
            fullB[i] = db == 1 ? 0 : sb;
            sa *= da;
            sb *= db;
        }

        int count = 0;
        for (int i = 0; i < rank; i++)
        {
            int d = yShape[i];
            if (d == 1)
            {
                continue;
            }

            if (count > 0
                && strideA[count - 1] == fullA[i] * d
                && strideB[count - 1] == fullB[i] * d)
            {
                // Contiguous for both (or broadcast for both): one longer run.
                dims[count - 1] *= d;
                strideA[count - 1] = fullA[i];
                strideB[count - 1] = fullB[i];
                continue;
            }

            dims[count] = d;
            strideA[count] = fullA[i];
            strideB[count] = fullB[i];
            count++;
        }

        if (count == 0)
        {
            dims[0] = 1;
            strideA[0] = 0;
            strideB[0] = 0;
            count = 1;
        }

        return count;
    }

    /// <summary>One run: each operand is either a full span (stride 1) or a scalar (stride 0).</summary>
    private static void Row<T>(BinaryOperation op, ReadOnlySpan<T> a, int sa, ReadOnlySpan<T> b, int sb, Span<T> y)
        where T : unmanaged, INumber<T>
    {
        if (op == BinaryOperation.PRelu)
        {
            PReluRow(a, sa, b, sb, y);
            return;
        }

        if (op == BinaryOperation.Divide && !IsFloatingPoint<T>())
        {
            IntegerDivideRow(a, sa, b, sb, y);
            return;
        }

        if (sa == 1 && sb == 1)
        {
            switch (op)
            {
                case BinaryOperation.Add: TensorPrimitives.Add(a, b, y); break;
                case BinaryOperation.Subtract: TensorPrimitives.Subtract(a, b, y); break;
                case BinaryOperation.Multiply: TensorPrimitives.Multiply(a, b, y); break;
                default: TensorPrimitives.Divide(a, b, y); break;
            }
        }
        else if (sa == 1)
        {
            T s = b[0];
            switch (op)
            {
                case BinaryOperation.Add: TensorPrimitives.Add(a, s, y); break;
                case BinaryOperation.Subtract: TensorPrimitives.Subtract(a, s, y); break;
                case BinaryOperation.Multiply: TensorPrimitives.Multiply(a, s, y); break;
                default: TensorPrimitives.Divide(a, s, y); break;
            }
        }
        else if (sb == 1)
        {
            T s = a[0];
            switch (op)
            {
                case BinaryOperation.Add: TensorPrimitives.Add(b, s, y); break;
                case BinaryOperation.Subtract: TensorPrimitives.Subtract(s, b, y); break;
                case BinaryOperation.Multiply: TensorPrimitives.Multiply(b, s, y); break;
                default: TensorPrimitives.Divide(s, b, y); break;
            }
        }
        else
        {
            y.Fill(Scalar(op, a[0], b[0]));
        }
    }

    private static T Scalar<T>(BinaryOperation op, T a, T b)
        where T : unmanaged, INumber<T> => op switch
        {
            BinaryOperation.Add => a + b,
            BinaryOperation.Subtract => a - b,
            BinaryOperation.Multiply => a * b,
            BinaryOperation.Divide => IsFloatingPoint<T>() ? a / b : IntegerDivide(a, b),
            _ => T.IsNegative(a) ? a * b : a,
        };

    private static bool IsFloatingPoint<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);

    /// <summary>Integer division truncating toward zero; a zero divisor gives 0 and MinValue / −1 wraps, instead of the
    /// exceptions the CLR would throw (the values come from models).</summary>
    private static T IntegerDivide<T>(T a, T b)
        where T : unmanaged, INumber<T>
    {
        if (T.IsZero(b))
        {
            return T.Zero;
        }

        return b == -T.One ? T.Zero - a : a / b;
    }

    private static void IntegerDivideRow<T>(ReadOnlySpan<T> a, int sa, ReadOnlySpan<T> b, int sb, Span<T> y)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = IntegerDivide(a[i * sa], b[i * sb]);
        }
    }

    private static void PReluRow<T>(ReadOnlySpan<T> a, int sa, ReadOnlySpan<T> b, int sb, Span<T> y)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < y.Length; i++)
        {
            T x = a[i * sa];
            y[i] = T.IsNegative(x) ? x * b[i * sb] : x;
        }
    }
}
