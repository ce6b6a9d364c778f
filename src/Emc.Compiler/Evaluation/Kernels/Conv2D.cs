using System.Numerics.Tensors;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>
/// 2-D convolution, NCHW input, OIHW weights (I = channels per group), optional bias. Pointwise convolutions are a
/// plain GEMM on the input, depthwise ones run directly per channel row, everything else is im2col + GEMM.
/// Deterministic: every output sums its taps in a fixed order.
/// </summary>
public static class Conv2D
{
    /// <summary>Scratch floats <see cref="Run"/> needs.</summary>
    public static int ScratchLength(in Conv2DGeometry g)
    {
        if (g.IsDepthwise)
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
        if (g.IsDepthwise)
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

    /// <summary>Scratch floats <see cref="DepthwiseChannel"/> needs: one de-interleaved input plane when strided.</summary>
    public static int DepthwiseScratchLength(in Conv2DGeometry g) => g.StrideWidth is > 1 and <= MaxPhasedStride ? g.InputPlane : 0;

    /// <summary>Larger horizontal strides (never seen in practice) take a scalar path.</summary>
    private const int MaxPhasedStride = 16;

    /// <summary>
    /// One channel of a depthwise convolution: each output row starts at the bias and accumulates its kh·kw taps in
    /// tap order as vectorised row updates. With a horizontal stride s the input rows are first split into s phases
    /// (columns ≡ p mod s), so a strided tap reads one contiguous run of a phase.
    /// </summary>
    public static void DepthwiseChannel(in Conv2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, float bias, Span<float> y,
        Span<float> scratch)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, ih = g.InputHeight, iw = g.InputWidth, sw = g.StrideWidth;
        ReadOnlySpan<float> rows = x;
        bool phased = sw > 1 && sw <= MaxPhasedStride;
        Span<int> phaseStart = stackalloc int[phased ? sw : 0];
        if (phased)
        {
            var split = scratch[..g.InputPlane];
            int offset = 0;
            for (int p = 0; p < phaseStart.Length; p++)
            {
                phaseStart[p] = offset;
                offset += p < iw ? ((iw - p + sw - 1) / sw) : 0;
            }

            for (int r = 0; r < ih; r++)
            {
                var src = x.Slice(r * iw, iw);
                var dst = split.Slice(r * iw, iw);
                for (int p = 0; p < phaseStart.Length; p++)
                {
                    int o = phaseStart[p];
                    for (int i = p; i < iw; i += sw)
                    {
                        dst[o++] = src[i];
                    }
                }
            }

            rows = split;
        }

        for (int oy = 0; oy < oh; oy++)
        {
            var dst = y.Slice(oy * ow, ow);
            dst.Fill(bias);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                if ((uint)iy >= (uint)ih)
                {
                    continue;
                }

                var src = rows.Slice(iy * iw, iw);
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    float wv = w[(ky * g.KernelWidth) + kx];
                    int offX = (kx * g.DilationWidth) - g.PadLeft;
                    (int lo, int hi) = ValidRange(offX, sw, iw, ow);
                    if (lo >= hi)
                    {
                        continue;
                    }

                    var d = dst[lo..hi];
                    if (sw == 1)
                    {
                        TensorPrimitives.MultiplyAdd(src.Slice(lo + offX, hi - lo), wv, d, d);
                    }
                    else if (phased)
                    {
                        // Column ox·s + offX = (ox + shift)·s + phase.
                        int phase = ((offX % sw) + sw) % sw;
                        int shift = (offX - phase) / sw;
                        TensorPrimitives.MultiplyAdd(src.Slice(phaseStart[phase] + lo + shift, hi - lo), wv, d, d);
                    }
                    else
                    {
                        for (int ox = lo, ix = (lo * sw) + offX; ox < hi; ox++, ix += sw)
                        {
                            dst[ox] += src[ix] * wv;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The outputs [lo, hi) whose input column o·stride + offset lies inside [0, size).</summary>
    public static (int Lo, int Hi) ValidRange(int offset, int stride, int size, int outputs)
    {
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = size - 1 - offset;
        int hi = last < 0 ? 0 : (last / stride) + 1;
        return (Math.Min(lo, outputs), Math.Min(hi, outputs));
    }
}
