namespace Emc.Compiler.Tests.Evaluation;

/// <summary>Obviously-correct reference implementations straight from the ONNX operator definitions (double
/// accumulation, no tricks) that the kernels are checked against.</summary>
internal static class Naive
{
    public static float[] Conv(float[] x, int n, int c, int h, int w, float[] weights, int m, int kh, int kw, float[]? bias,
        int sh, int sw, int pt, int pl, int pb, int pr, int dh, int dw, int group)
    {
        int oh = ((h + pt + pb - (((kh - 1) * dh) + 1)) / sh) + 1;
        int ow = ((w + pl + pr - (((kw - 1) * dw) + 1)) / sw) + 1;
        int cg = c / group, mg = m / group;
        var y = new float[n * m * oh * ow];
        for (int b = 0; b < n; b++)
        for (int o = 0; o < m; o++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            int g = o / mg;
            double sum = bias?[o] ?? 0;
            for (int ci = 0; ci < cg; ci++)
            for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
            {
                int iy = (oy * sh) - pt + (ky * dh), ix = (ox * sw) - pl + (kx * dw);
                if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                {
                    continue;
                }

                int channel = (g * cg) + ci;
                sum += (double)x[(((b * c) + channel) * h * w) + (iy * w) + ix] * weights[(((o * cg) + ci) * kh * kw) + (ky * kw) + kx];
            }

            y[(((b * m) + o) * oh * ow) + (oy * ow) + ox] = (float)sum;
        }

        return y;
    }

    public static float[] MatMul(float[] a, float[] b, int m, int n, int k, bool transA = false, bool transB = false)
    {
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                double av = transA ? a[(p * m) + i] : a[(i * k) + p];
                double bv = transB ? b[(j * k) + p] : b[(p * n) + j];
                sum += av * bv;
            }

            y[(i * n) + j] = (float)sum;
        }

        return y;
    }

    /// <summary>Pooling over an explicitly padded copy of each plane (padding marked as absent).</summary>
    public static float[] Pool(float[] x, int planes, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw,
        int pt, int pl, int pb, int pr, int dh, int dw, bool max, bool countIncludePad)
    {
        int ph = h + pt + pb, pw = w + pl + pr;
        var y = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
        {
            var padded = new float?[ph, pw];
            for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                padded[i + pt, j + pl] = x[(p * h * w) + (i * w) + j];
            }

            for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                double best = double.NegativeInfinity, sum = 0;
                int inside = 0, inPadded = 0;
                for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++)
                {
                    int py = (oy * sh) + (ky * dh), px = (ox * sw) + (kx * dw);
                    if (py >= ph || px >= pw)
                    {
                        continue; // ceil-mode windows reach past the padded input
                    }

                    inPadded++;
                    if (padded[py, px] is float v)
                    {
                        inside++;
                        sum += v;
                        best = Math.Max(best, v);
                    }
                }

                y[(p * oh * ow) + (oy * ow) + ox] = max ? (float)best : (float)(sum / (countIncludePad ? inPadded : inside));
            }
        }

        return y;
    }

    /// <summary>numpy broadcasting by multi-index.</summary>
    public static float[] Broadcast(float[] a, int[] aShape, float[] b, int[] bShape, int[] yShape, Func<float, float, float> f)
    {
        int rank = yShape.Length;
        int count = yShape.Aggregate(1, (p, d) => p * d);
        var y = new float[count];
        var index = new int[rank];
        for (int i = 0; i < count; i++)
        {
            int rem = i;
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d] = rem % yShape[d];
                rem /= yShape[d];
            }

            y[i] = f(a[Offset(index, aShape)], b[Offset(index, bShape)]);
        }

        return y;
    }

    private static int Offset(int[] index, int[] shape)
    {
        int offset = 0, shift = index.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
        {
            offset = (offset * shape[d]) + (shape[d] == 1 ? 0 : index[d + shift]);
        }

        return offset;
    }
}
