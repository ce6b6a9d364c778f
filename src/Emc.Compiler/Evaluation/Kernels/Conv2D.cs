using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>
/// 2-D convolution, NCHW input, OIHW weights (I = channels per group), optional bias. Pointwise convolutions are a
/// plain GEMM on the input, depthwise ones run directly per channel row, everything else is im2col + GEMM.
/// Deterministic: every output sums its taps in a fixed order.
/// </summary>
internal static class Conv2D
{
    /// <summary>Depthwise kernels with more taps (stack-held tap offsets) take the im2col path.</summary>
    private const int MaxDepthwiseTaps = 256;

    /// <summary>Scratch floats <see cref="Run"/> needs.</summary>
    public static int ScratchLength(in Conv2DGeometry g)
    {
        if (g.IsDepthwise && g.KernelHeight * g.KernelWidth <= MaxDepthwiseTaps)
        {
            return DepthwiseScratchLength(g);
        }

        int m = g.OutputChannelsPerGroup, n = g.OutputPlane, k = g.ReductionLength;
        int col = g.IsPointwise ? 0 : checked(k * n);
        return checked(col + Sgemm.PackedALength(m, k) + Sgemm.PackedBLength(n, k));
    }

    /// <summary>Runs the convolution; with <paramref name="maxDegreeOfParallelism"/> &gt; 1 depthwise channels or GEMM
    /// column blocks are split over threads (results are identical for every thread count).</summary>
    public static void Run(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> scratch, int maxDegreeOfParallelism = 1)
    {
        if (g.IsDepthwise && g.KernelHeight * g.KernelWidth <= MaxDepthwiseTaps)
        {
            if (maxDegreeOfParallelism > 1)
            {
                DepthwiseParallel(g, input, weights, bias, output, maxDegreeOfParallelism);
            }
            else
            {
                Depthwise(g, input, weights, bias, output, scratch);
            }

            return;
        }

        int m = g.OutputChannelsPerGroup, n = g.OutputPlane, k = g.ReductionLength;
        int colLength = g.IsPointwise ? 0 : k * n;
        var col = scratch[..colLength];
        var packedA = scratch.Slice(colLength, Sgemm.PackedALength(m, k));
        var packedB = scratch.Slice(colLength + packedA.Length, Sgemm.PackedBLength(n, k));
        int inGroup = g.InputChannelsPerGroup * g.InputPlane;
        int outGroup = m * n;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int grp = 0; grp < g.Group; grp++)
            {
                var x = input.Slice(((b * g.Group) + grp) * inGroup, inGroup);
                ReadOnlySpan<float> bMatrix = x;
                if (!g.IsPointwise)
                {
                    Im2Col(g, x, col);
                    bMatrix = col;
                }

                var w = weights.Slice(grp * m * k, m * k);
                var y = output.Slice(((b * g.Group) + grp) * outGroup, outGroup);
                var groupBias = bias.IsEmpty ? bias : bias.Slice(grp * m, m);
                Sgemm.Multiply(m, n, k, Sgemm.Matrix.RowMajor(w, k), Sgemm.Matrix.RowMajor(bMatrix, n), y, n, false,
                    groupBias, packedA, packedB, maxDegreeOfParallelism);
            }
        }
    }

    /// <summary>Lays the receptive fields of one group out as a (Cin/g·kh·kw) × (oh·ow) matrix, zero where padded.</summary>
    public static void Im2Col(in Conv2DGeometry g, ReadOnlySpan<float> x, Span<float> col)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, ih = g.InputHeight, iw = g.InputWidth;
        int row = 0;
        for (int c = 0; c < g.InputChannelsPerGroup; c++)
        {
            var plane = x.Slice(c * g.InputPlane, g.InputPlane);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    var dst = col.Slice(row * oh * ow, oh * ow);
                    int offX = (kx * g.DilationWidth) - g.PadLeft;
                    (int lo, int hi) = ValidRange(offX, g.StrideWidth, iw, ow);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        var d = dst.Slice(oy * ow, ow);
                        int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                        if ((uint)iy >= (uint)ih || lo >= hi)
                        {
                            d.Clear();
                            continue;
                        }

                        d[..lo].Clear();
                        d[hi..].Clear();
                        var src = plane.Slice(iy * iw, iw);
                        if (g.StrideWidth == 1)
                        {
                            src.Slice(lo + offX, hi - lo).CopyTo(d[lo..hi]);
                        }
                        else
                        {
                            for (int ox = lo, ix = (lo * g.StrideWidth) + offX; ox < hi; ox++, ix += g.StrideWidth)
                            {
                                d[ox] = src[ix];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Depthwise convolution, channel by channel (see <see cref="DepthwiseChannel"/>).</summary>
    public static void Depthwise(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> scratch)
    {
        int taps = g.KernelHeight * g.KernelWidth;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int c = 0; c < g.InputChannels; c++)
            {
                int plane = (b * g.InputChannels) + c;
                DepthwiseChannel(g, input.Slice(plane * g.InputPlane, g.InputPlane), weights.Slice(c * taps, taps),
                    bias.IsEmpty ? 0f : bias[c], output.Slice(plane * g.OutputPlane, g.OutputPlane), scratch);
            }
        }
    }

    private static unsafe void DepthwiseParallel(Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, int maxDegreeOfParallelism)
    {
        int planes = g.Batch * g.InputChannels;
        int chunks = Math.Min(maxDegreeOfParallelism, planes);
        int taps = g.KernelHeight * g.KernelWidth;
        fixed (float* px = input, pw = weights, pb = bias, py = output)
        {
            nint x = (nint)px, w = (nint)pw, b = (nint)pb, y = (nint)py;
            bool hasBias = !bias.IsEmpty;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, t =>
            {
                var scratch = ThreadScratch.Get(2, DepthwiseScratchLength(g));
                for (int plane = t * planes / chunks; plane < (t + 1) * planes / chunks; plane++)
                {
                    int c = plane % g.InputChannels;
                    DepthwiseChannel(g, new ReadOnlySpan<float>((float*)x + ((long)plane * g.InputPlane), g.InputPlane),
                        new ReadOnlySpan<float>((float*)w + ((long)c * taps), taps), hasBias ? ((float*)b)[c] : 0f,
                        new Span<float>((float*)y + ((long)plane * g.OutputPlane), g.OutputPlane), scratch);
                }
            });
        }
    }

    /// <summary>Scratch floats <see cref="DepthwiseChannel"/> needs: one zero-padded, phase-split input plane.</summary>
    public static int DepthwiseScratchLength(in Conv2DGeometry g)
    {
        var (rows, phaseLength) = PaddedPlane(g);
        return checked(rows * g.StrideWidth * phaseLength);
    }

    /// <summary>Rows of the padded plane and the length of one phase of a padded row (a multiple of the vector width
    /// plus the widest tap shift, so every vector read stays inside its row).</summary>
    private static (int Rows, int PhaseLength) PaddedPlane(in Conv2DGeometry g)
    {
        int rows = Math.Max(g.InputHeight + g.PadTop, ((g.OutputHeight - 1) * g.StrideHeight) + ((g.KernelHeight - 1) * g.DilationHeight) + 1);
        int phaseLength = Sgemm.RoundUp(g.OutputWidth, 8) + ((g.KernelWidth - 1) * g.DilationWidth / g.StrideWidth) + 1;
        return (rows, phaseLength);
    }

    /// <summary>
    /// One channel of a depthwise convolution. The input plane is first copied into a zero-padded plane whose rows are
    /// split into stride phases (padded column i·s + p stored at [p][i]), so every tap of a run of outputs is one
    /// contiguous vector read; each output then starts at the bias and adds its kh·kw taps in tap order (FMA),
    /// eight or sixteen outputs at a time in registers.
    /// </summary>
    public static unsafe void DepthwiseChannel(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, float bias, Span<float> y,
        Span<float> scratch)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, ih = g.InputHeight, iw = g.InputWidth, s = g.StrideWidth;
        var (rows, phaseLength) = PaddedPlane(g);
        int rowLength = s * phaseLength;
        var padded = scratch[..(rows * rowLength)];
        for (int r = 0; r < rows; r++)
        {
            var dst = padded.Slice(r * rowLength, rowLength);
            int iy = r - g.PadTop;
            if ((uint)iy >= (uint)ih)
            {
                dst.Clear();
                continue;
            }

            var src = x.Slice(iy * iw, iw);
            if (s == 1)
            {
                int start = Math.Min(g.PadLeft, rowLength);
                int copy = Math.Min(iw, rowLength - start);
                dst[..start].Clear();
                src[..copy].CopyTo(dst[start..]);
                dst[(start + copy)..].Clear();
                continue;
            }

            for (int p = 0; p < s; p++)
            {
                var phase = dst.Slice(p * phaseLength, phaseLength);
                for (int i = 0; i < phaseLength; i++)
                {
                    int column = (i * s) + p - g.PadLeft;
                    phase[i] = (uint)column < (uint)iw ? src[column] : 0f;
                }
            }
        }

        int taps = g.KernelHeight * g.KernelWidth;
        Span<int> tapOffset = stackalloc int[taps];
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int column = kx * g.DilationWidth;
                tapOffset[(ky * g.KernelWidth) + kx] = (ky * g.DilationHeight * rowLength) + ((column % s) * phaseLength) + (column / s);
            }
        }

        Span<float> tail = stackalloc float[16];
        fixed (float* pPadded = padded, pw = w, pyBase = y, pTail = tail)
        fixed (int* pOffset = tapOffset)
        {
            var biasVector = Vector256.Create(bias);
            for (int oy = 0; oy < oh; oy++)
            {
                float* rowBase = pPadded + ((long)oy * g.StrideHeight * rowLength);
                float* yRow = pyBase + ((long)oy * ow);
                int ox = 0;
                for (; ox + 16 <= ow; ox += 16)
                {
                    var acc0 = biasVector;
                    var acc1 = biasVector;
                    for (int t = 0; t < taps; t++)
                    {
                        float* src = rowBase + pOffset[t] + ox;
                        var wv = Vector256.Create(pw[t]);
                        acc0 = Mad(wv, Vector256.Load(src), acc0);
                        acc1 = Mad(wv, Vector256.Load(src + 8), acc1);
                    }

                    Vector256.Store(acc0, yRow + ox);
                    Vector256.Store(acc1, yRow + ox + 8);
                }

                for (; ox < ow; ox += 8)
                {
                    var acc = biasVector;
                    for (int t = 0; t < taps; t++)
                    {
                        acc = Mad(Vector256.Create(pw[t]), Vector256.Load(rowBase + pOffset[t] + ox), acc);
                    }

                    if (ox + 8 <= ow)
                    {
                        Vector256.Store(acc, yRow + ox);
                    }
                    else
                    {
                        Vector256.Store(acc, pTail);
                        new ReadOnlySpan<float>(pTail, ow - ox).CopyTo(new Span<float>(yRow + ox, ow - ox));
                    }
                }
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mad(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>The outputs [lo, hi) whose input column o·stride + offset lies inside [0, size).</summary>
    public static (int Lo, int Hi) ValidRange(int offset, int stride, int size, int outputs)
    {
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = size - 1 - offset;
        int hi = last < 0 ? 0 : (last / stride) + 1;
        return (Math.Min(lo, outputs), Math.Min(hi, outputs));
    }
}
