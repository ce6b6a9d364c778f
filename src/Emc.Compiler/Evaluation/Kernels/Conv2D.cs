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
            return 0;
        }

        int m = g.OutputChannelsPerGroup, n = g.OutputPlane, k = g.ReductionLength;
        int col = g.IsPointwise ? 0 : checked(k * n);
        return checked(col + Sgemm.PackedALength(m, k) + Sgemm.PackedBLength(n, k));
    }

    public static void Run(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> scratch)
    {
        if (g.IsDepthwise)
        {
            Depthwise(g, input, weights, bias, output);
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
                    groupBias, packedA, packedB);
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

    /// <summary>Depthwise convolution: each output row accumulates its kh·kw taps, in tap order, on top of the bias.</summary>
    public static void Depthwise(in Conv2DGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias,
        Span<float> output)
    {
        int oh = g.OutputHeight, ow = g.OutputWidth, ih = g.InputHeight, iw = g.InputWidth, sw = g.StrideWidth;
        int taps = g.KernelHeight * g.KernelWidth;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int c = 0; c < g.InputChannels; c++)
            {
                int plane = (b * g.InputChannels) + c;
                var x = input.Slice(plane * g.InputPlane, g.InputPlane);
                var y = output.Slice(plane * g.OutputPlane, g.OutputPlane);
                var w = weights.Slice(c * taps, taps);
                float b0 = bias.IsEmpty ? 0f : bias[c];
                for (int oy = 0; oy < oh; oy++)
                {
                    var dst = y.Slice(oy * ow, ow);
                    dst.Fill(b0);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                        if ((uint)iy >= (uint)ih)
                        {
                            continue;
                        }

                        var src = x.Slice(iy * iw, iw);
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            float wv = w[(ky * g.KernelWidth) + kx];
                            int offX = (kx * g.DilationWidth) - g.PadLeft;
                            (int lo, int hi) = ValidRange(offX, sw, iw, ow);
                            if (lo >= hi)
                            {
                                continue;
                            }

                            if (sw == 1)
                            {
                                var d = dst[lo..hi];
                                TensorPrimitives.MultiplyAdd(src.Slice(lo + offX, hi - lo), wv, d, d);
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
