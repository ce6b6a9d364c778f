using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emc.Kmodel.Simulation;

/// <summary>
/// Builds the <see cref="Int16PairGemm"/> operand for a tile of conv pixels in two passes: (1) per tap row
/// <c>k = c·taps + t</c>, the tap's source bytes for every pixel of the tile, copied a grid row at a time from a
/// pad_value-bordered copy of the input (a plain memory copy when the grid has stride 1); (2) pairs of rows
/// interleaved and widened to int16 panels, 16 pixels at a time, with SX (the sum of a pixel's taps) from the
/// same registers by a multiply-add with ones.
/// </summary>
internal static class Im2ColPacker
{
    private const int W = Int16PairGemm.PanelWidth;

    /// <summary>The input with a border of <paramref name="pad"/> pad_value pixels: C × (H + 2p) × (W + 2p).</summary>
    public static void PadInput(ReadOnlySpan<byte> input, int channels, int height, int width, int pad, byte padValue, Span<byte> padded)
    {
        int pw = width + (2 * pad), ph = height + (2 * pad);
        if (pad > 0)
        {
            padded.Fill(padValue);
        }

        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                input.Slice(((c * height) + y) * width, width).CopyTo(padded.Slice((((c * ph) + y + pad) * pw) + pad, width));
            }
        }
    }

    /// <summary>
    /// Pass 1: <c>cols[k·stride + j]</c> = tap k of grid pixel <c>n0 + j</c> (j &lt; count; lanes up to
    /// <paramref name="colStride"/> are zeroed). Grid pixel g sits at padded row <c>y0 + (g / gw)·step + ky</c>,
    /// column <c>x0 + (g % gw)·step + kx</c>.
    /// </summary>
    public static void Gather(ReadOnlySpan<byte> padded, int ph, int pw, int kernel, int taps, int perOutput,
        int y0, int x0, int step, int gw, int n0, int count, Span<byte> cols, int colStride)
    {
        for (int k = 0; k < perOutput; k++)
        {
            int c = k / taps, t = k % taps;
            int ky = t / kernel, kx = t % kernel;
            ReadOnlySpan<byte> plane = padded.Slice(c * ph * pw, ph * pw);
            Span<byte> row = cols.Slice(k * colStride, colStride);
            int j = 0;
            while (j < count)
            {
                int g = n0 + j;
                int gy = g / gw, gx = g % gw;
                int run = Math.Min(gw - gx, count - j);
                int src = ((y0 + (gy * step) + ky) * pw) + x0 + (gx * step) + kx;
                if (step == 1)
                {
                    plane.Slice(src, run).CopyTo(row.Slice(j, run));
                }
                else
                {
                    Span<byte> dst = row.Slice(j, run);
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = plane[src + (i * step)];
                    }
                }

                j += run;
            }

            row[count..].Clear();
        }
    }

    /// <summary>
    /// Pass 2: panels <c>panel[pb][kp][lane][2]</c> for <paramref name="panelCount"/> panels and
    /// <paramref name="k2"/> k pairs (a missing odd row reads 0), and <c>sx[j]</c> = Σ_k cols[k][j].
    /// </summary>
    public static void Pack(ReadOnlySpan<byte> cols, int colStride, int perOutput, int k2, int panelCount, Span<short> panels, Span<int> sx)
    {
        if (Avx2.IsSupported)
        {
            PackAvx2(cols, colStride, perOutput, k2, panelCount, panels, sx);
            return;
        }

        for (int pb = 0; pb < panelCount; pb++)
        {
            Span<short> panel = panels.Slice(pb * k2 * 2 * W, k2 * 2 * W);
            for (int lane = 0; lane < W; lane++)
            {
                int j = (pb * W) + lane, sum = 0;
                for (int k = 0; k < k2 * 2; k++)
                {
                    int v = k < perOutput ? cols[(k * colStride) + j] : 0;
                    panel[((k >> 1) * 2 * W) + (lane * 2) + (k & 1)] = (short)v;
                    sum += v;
                }

                sx[j] = sum;
            }
        }
    }

    private static void PackAvx2(ReadOnlySpan<byte> cols, int colStride, int perOutput, int k2, int panelCount, Span<short> panels, Span<int> sx)
    {
        ref byte c0 = ref Unsafe.AsRef(in cols[0]);
        ref short p0 = ref panels[0];
        ref int s0 = ref sx[0];
        Vector256<short> ones = Vector256.Create((short)1);
        for (int pb = 0; pb < panelCount; pb++)
        {
            ref short panel = ref Unsafe.Add(ref p0, pb * k2 * 2 * W);
            Vector256<int> sumLow = default, sumHigh = default;
            for (int kp = 0; kp < k2; kp++)
            {
                int k = 2 * kp;
                Vector128<byte> a = Vector128.LoadUnsafe(ref c0, (nuint)((k * colStride) + (pb * W)));
                Vector128<byte> b = k + 1 < perOutput ? Vector128.LoadUnsafe(ref c0, (nuint)(((k + 1) * colStride) + (pb * W))) : default;
                Vector256<short> low = Avx2.ConvertToVector256Int16(Sse2.UnpackLow(a, b));
                Vector256<short> high = Avx2.ConvertToVector256Int16(Sse2.UnpackHigh(a, b));
                low.StoreUnsafe(ref panel, (nuint)(kp * 2 * W));
                high.StoreUnsafe(ref panel, (nuint)((kp * 2 * W) + 16));
                sumLow = Avx2.Add(sumLow, Avx2.MultiplyAddAdjacent(low, ones));
                sumHigh = Avx2.Add(sumHigh, Avx2.MultiplyAddAdjacent(high, ones));
            }

            sumLow.StoreUnsafe(ref s0, (nuint)(pb * W));
            sumHigh.StoreUnsafe(ref s0, (nuint)((pb * W) + 8));
        }
    }
}
