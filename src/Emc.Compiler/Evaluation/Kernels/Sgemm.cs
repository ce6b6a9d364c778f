using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>
/// Single-precision matrix product C = A·B (+ C, + per-row bias), cache-blocked with packed panels and a 6×16
/// register-tiled Vector256 FMA micro-kernel. A and B are read through (row, column) strides, so transposed
/// operands cost nothing. Each element of C sums over k in ascending order, block after block: the result does
/// not depend on how the work is split.
/// </summary>
public static unsafe class Sgemm
{
    public const int MR = 6;
    public const int NR = 16;
    public const int KC = 256;
    public const int MC = 72;
    public const int NC = 4080;

    /// <summary>Scratch floats <see cref="Multiply"/> needs for the packed A block.</summary>
    public static int PackedALength(int m, int k) => RoundUp(Math.Min(m, MC), MR) * Math.Min(k, KC);

    /// <summary>Scratch floats <see cref="Multiply"/> needs for the packed B block.</summary>
    public static int PackedBLength(int n, int k) => RoundUp(Math.Min(n, NC), NR) * Math.Min(k, KC);

    /// <summary>A strided view of a row-major or transposed matrix.</summary>
    public readonly ref struct Matrix
    {
        public Matrix(ReadOnlySpan<float> data, int rowStride, int columnStride)
        {
            Data = data;
            RowStride = rowStride;
            ColumnStride = columnStride;
        }

        public ReadOnlySpan<float> Data { get; }

        public int RowStride { get; }

        public int ColumnStride { get; }

        public static Matrix RowMajor(ReadOnlySpan<float> data, int columns) => new(data, columns, 1);

        /// <summary>The transpose of a row-major matrix with <paramref name="columns"/> columns.</summary>
        public static Matrix Transposed(ReadOnlySpan<float> data, int columns) => new(data, 1, columns);
    }

    /// <summary>
    /// C[M×N] (row stride <paramref name="ldc"/>) = A[M×K]·B[K×N] + (accumulate ? C : 0) + bias[row].
    /// </summary>
    public static void Multiply(int m, int n, int k, Matrix a, Matrix b, Span<float> c, int ldc, bool accumulate,
        ReadOnlySpan<float> rowBias, Span<float> packedA, Span<float> packedB)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            for (int i = 0; i < m; i++)
            {
                var row = c.Slice(i * ldc, n);
                if (!accumulate)
                {
                    row.Fill(rowBias.IsEmpty ? 0f : rowBias[i]);
                }
                else if (!rowBias.IsEmpty)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(row, rowBias[i], row);
                }
            }

            return;
        }

        if (packedA.Length < PackedALength(m, k) || packedB.Length < PackedBLength(n, k))
        {
            throw new ArgumentException("packing scratch too small");
        }

        Span<float> edge = stackalloc float[MR * NR];
        fixed (float* pa = packedA, pb = packedB, pc = c, pe = edge, pbias = rowBias)
        fixed (float* aData = a.Data, bData = b.Data)
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                for (int pcIndex = 0; pcIndex < k; pcIndex += KC)
                {
                    int kc = Math.Min(KC, k - pcIndex);
                    bool first = pcIndex == 0;
                    PackB(kc, nc, bData + ((long)pcIndex * b.RowStride) + ((long)jc * b.ColumnStride), b.RowStride, b.ColumnStride, pb);
                    for (int ic = 0; ic < m; ic += MC)
                    {
                        int mc = Math.Min(MC, m - ic);
                        PackA(mc, kc, aData + ((long)ic * a.RowStride) + ((long)pcIndex * a.ColumnStride), a.RowStride, a.ColumnStride, pa);
                        for (int jr = 0; jr < nc; jr += NR)
                        {
                            int nr = Math.Min(NR, nc - jr);
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int mr = Math.Min(MR, mc - ir);
                                int row = ic + ir;
                                float* cTile = pc + ((long)row * ldc) + jc + jr;
                                bool add = accumulate || !first;
                                float* bias = first && rowBias.Length > 0 ? pbias + row : null;
                                if (mr == MR && nr == NR)
                                {
                                    Kernel(kc, pa + (ir * kc), pb + (jr * kc), cTile, ldc, add, bias);
                                }
                                else
                                {
                                    KernelEdge(kc, pa + (ir * kc), pb + (jr * kc), cTile, ldc, add, bias, mr, nr, pe);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Multiply(int, int, int, Matrix, Matrix, Span{float}, int, bool, ReadOnlySpan{float}, Span{float}, Span{float})"/>
    /// with the columns of C split over up to <paramref name="maxDegreeOfParallelism"/> threads (each packs its own
    /// panels). Every element is summed exactly as in the single-threaded product, so the result does not depend on
    /// the thread count.
    /// </summary>
    public static void Multiply(int m, int n, int k, Matrix a, Matrix b, Span<float> c, int ldc, bool accumulate,
        ReadOnlySpan<float> rowBias, Span<float> packedA, Span<float> packedB, int maxDegreeOfParallelism)
    {
        const int minColumnsPerThread = 4 * NR;
        int chunks = Math.Min(maxDegreeOfParallelism, (n + minColumnsPerThread - 1) / minColumnsPerThread);
        if (chunks <= 1 || k == 0 || m == 0)
        {
            Multiply(m, n, k, a, b, c, ldc, accumulate, rowBias, packedA, packedB);
            return;
        }

        int chunk = RoundUp((n + chunks - 1) / chunks, NR);
        fixed (float* pa = a.Data, pb = b.Data, pc = c, pbias = rowBias)
        {
            nint aPtr = (nint)pa, bPtr = (nint)pb, cPtr = (nint)pc, biasPtr = (nint)pbias;
            int aLength = a.Data.Length, bLength = b.Data.Length, cLength = c.Length, biasLength = rowBias.Length;
            int ars = a.RowStride, acs = a.ColumnStride, brs = b.RowStride, bcs = b.ColumnStride;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, t =>
            {
                int j0 = t * chunk, j1 = Math.Min(n, j0 + chunk);
                if (j0 >= j1)
                {
                    return;
                }

                long bOffset = (long)j0 * bcs;
                var localA = ThreadScratch.Get(0, PackedALength(m, k));
                var localB = ThreadScratch.Get(1, PackedBLength(j1 - j0, k));
                Multiply(m, j1 - j0, k,
                    new Matrix(new ReadOnlySpan<float>((float*)aPtr, aLength), ars, acs),
                    new Matrix(new ReadOnlySpan<float>((float*)bPtr + bOffset, (int)(bLength - bOffset)), brs, bcs),
                    new Span<float>((float*)cPtr + j0, cLength - j0), ldc, accumulate,
                    new ReadOnlySpan<float>((float*)biasPtr, biasLength), localA, localB);
            });
        }
    }

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Packs an mc×kc block of A into MR-row panels: for each k, MR consecutive values (zero padded).</summary>
    private static void PackA(int mc, int kc, float* a, int rs, int cs, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += MR)
        {
            int rows = Math.Min(MR, mc - i0);
            float* panel = dst + (i0 * kc);
            for (int r = 0; r < MR; r++)
            {
                float* d = panel + r;
                if (r >= rows)
                {
                    for (int p = 0; p < kc; p++, d += MR)
                    {
                        *d = 0f;
                    }

                    continue;
                }

                float* s = a + ((long)(i0 + r) * rs);
                for (int p = 0; p < kc; p++, d += MR)
                {
                    *d = s[(long)p * cs];
                }
            }
        }
    }

    /// <summary>Packs a kc×nc block of B into NR-column panels: for each k, NR consecutive values (zero padded).</summary>
    private static void PackB(int kc, int nc, float* b, int rs, int cs, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += NR)
        {
            int cols = Math.Min(NR, nc - j0);
            float* panel = dst + (j0 * kc);
            float* src = b + ((long)j0 * cs);
            if (cols == NR && cs == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = src + ((long)p * rs);
                    Vector256.Store(Vector256.Load(s), panel);
                    Vector256.Store(Vector256.Load(s + 8), panel + 8);
                    panel += NR;
                }

                continue;
            }

            for (int p = 0; p < kc; p++)
            {
                float* s = src + ((long)p * rs);
                int j = 0;
                for (; j < cols; j++)
                {
                    panel[j] = s[(long)j * cs];
                }

                for (; j < NR; j++)
                {
                    panel[j] = 0f;
                }

                panel += NR;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mad(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    private static void KernelEdge(int kc, float* a, float* b, float* c, int ldc, bool add, float* bias, int mr, int nr, float* tile)
    {
        Kernel(kc, a, b, tile, NR, false, null);
        for (int i = 0; i < mr; i++)
        {
            float* dst = c + ((long)i * ldc);
            float* src = tile + (i * NR);
            float offset = bias is null ? 0f : bias[i];
            for (int j = 0; j < nr; j++)
            {
                dst[j] = (add ? dst[j] : 0f) + src[j] + offset;
            }
        }
    }

    private static void Kernel(int kc, float* a, float* b, float* c, int ldc, bool add, float* bias)
    {
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero;
        var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero;
        var c51 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var av = Vector256.Create(a[0]);
            c00 = Mad(av, b0, c00);
            c01 = Mad(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Mad(av, b0, c10);
            c11 = Mad(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Mad(av, b0, c20);
            c21 = Mad(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Mad(av, b0, c30);
            c31 = Mad(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Mad(av, b0, c40);
            c41 = Mad(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Mad(av, b0, c50);
            c51 = Mad(av, b1, c51);
            a += MR;
            b += NR;
        }

        Store(c, c00, c01, add, bias, 0);
        Store(c + ldc, c10, c11, add, bias, 1);
        Store(c + (2L * ldc), c20, c21, add, bias, 2);
        Store(c + (3L * ldc), c30, c31, add, bias, 3);
        Store(c + (4L * ldc), c40, c41, add, bias, 4);
        Store(c + (5L * ldc), c50, c51, add, bias, 5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> v0, Vector256<float> v1, bool add, float* bias, int row)
    {
        if (add)
        {
            v0 = Vector256.Load(c) + v0;
            v1 = Vector256.Load(c + 8) + v1;
        }

        if (bias is not null)
        {
            var bv = Vector256.Create(bias[row]);
            v0 += bv;
            v1 += bv;
        }

        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }
}
