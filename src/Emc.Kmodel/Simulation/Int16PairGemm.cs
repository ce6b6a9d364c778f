using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emc.Kmodel.Simulation;

/// <summary>
/// Integer GEMM for 8-bit convs: <c>P[o][n] = Σ_k W[o][k] · X[k][n]</c> with both operands ≤ 255 held as int16
/// pairs along k, so one <c>vpmaddwd</c> does 16 multiplies. X is packed in panels of <see cref="PanelWidth"/>
/// pixels: <c>panel[kp][pixel][2]</c>; weights as one int per k pair (low half = even k).
/// Bound: a product is ≤ 255·255 and K ≤ 1024·9, so every sum is ≤ 598 786 560 &lt; 2^31 — int32 is exact.
/// </summary>
internal static class Int16PairGemm
{
    public const int PanelWidth = 16;
    public const int OutputBlock = 4;

    /// <summary>
    /// Computes <paramref name="outputs"/> (a multiple of 4) rows × <paramref name="panels"/>·16 columns into
    /// <paramref name="p"/> (row stride <paramref name="pStride"/>).
    /// </summary>
    public static void Multiply(ReadOnlySpan<int> weightPairs, int k2, int outputs, ReadOnlySpan<short> packed, int panels, Span<int> p, int pStride)
    {
        for (int pb = 0; pb < panels; pb++)
        {
            ReadOnlySpan<short> panel = packed.Slice(pb * k2 * 2 * PanelWidth, k2 * 2 * PanelWidth);
            for (int o = 0; o < outputs; o += OutputBlock)
            {
                ReadOnlySpan<int> w = weightPairs.Slice(o * k2, OutputBlock * k2);
                Span<int> dst = p.Slice((o * pStride) + (pb * PanelWidth));
                if (Avx2.IsSupported)
                {
                    BlockAvx2(w, k2, panel, dst, pStride);
                }
                else
                {
                    BlockScalar(w, k2, panel, dst, pStride);
                }
            }
        }
    }

    private static void BlockAvx2(ReadOnlySpan<int> w, int k2, ReadOnlySpan<short> panel, Span<int> dst, int stride)
    {
        ref short x = ref Unsafe.AsRef(in panel[0]);
        ref int w0 = ref Unsafe.AsRef(in w[0]);
        ref int w1 = ref Unsafe.Add(ref w0, k2);
        ref int w2 = ref Unsafe.Add(ref w1, k2);
        ref int w3 = ref Unsafe.Add(ref w2, k2);
        Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<int> a20 = default, a21 = default, a30 = default, a31 = default;
        for (int kp = 0; kp < k2; kp++)
        {
            nuint at = (nuint)(kp * 2 * PanelWidth);
            Vector256<short> x0 = Vector256.LoadUnsafe(ref x, at);
            Vector256<short> x1 = Vector256.LoadUnsafe(ref x, at + 16);
            Vector256<short> b = Vector256.Create(Unsafe.Add(ref w0, kp)).AsInt16();
            a00 = Avx2.Add(a00, Avx2.MultiplyAddAdjacent(x0, b));
            a01 = Avx2.Add(a01, Avx2.MultiplyAddAdjacent(x1, b));
            b = Vector256.Create(Unsafe.Add(ref w1, kp)).AsInt16();
            a10 = Avx2.Add(a10, Avx2.MultiplyAddAdjacent(x0, b));
            a11 = Avx2.Add(a11, Avx2.MultiplyAddAdjacent(x1, b));
            b = Vector256.Create(Unsafe.Add(ref w2, kp)).AsInt16();
            a20 = Avx2.Add(a20, Avx2.MultiplyAddAdjacent(x0, b));
            a21 = Avx2.Add(a21, Avx2.MultiplyAddAdjacent(x1, b));
            b = Vector256.Create(Unsafe.Add(ref w3, kp)).AsInt16();
            a30 = Avx2.Add(a30, Avx2.MultiplyAddAdjacent(x0, b));
            a31 = Avx2.Add(a31, Avx2.MultiplyAddAdjacent(x1, b));
        }

        ref int d = ref dst[0];
        a00.StoreUnsafe(ref d);
        a01.StoreUnsafe(ref d, 8);
        a10.StoreUnsafe(ref d, (nuint)stride);
        a11.StoreUnsafe(ref d, (nuint)stride + 8);
        a20.StoreUnsafe(ref d, (nuint)(2 * stride));
        a21.StoreUnsafe(ref d, (nuint)(2 * stride) + 8);
        a30.StoreUnsafe(ref d, (nuint)(3 * stride));
        a31.StoreUnsafe(ref d, (nuint)(3 * stride) + 8);
    }

    private static void BlockScalar(ReadOnlySpan<int> w, int k2, ReadOnlySpan<short> panel, Span<int> dst, int stride)
    {
        for (int o = 0; o < OutputBlock; o++)
        {
            for (int lane = 0; lane < PanelWidth; lane++)
            {
                int sum = 0;
                for (int kp = 0; kp < k2; kp++)
                {
                    int pair = w[(o * k2) + kp];
                    int at = (kp * 2 * PanelWidth) + (lane * 2);
                    sum += (panel[at] * (short)pair) + (panel[at + 1] * (short)(pair >> 16));
                }

                dst[(o * stride) + lane] = sum;
            }
        }
    }
}
