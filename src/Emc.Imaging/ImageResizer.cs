namespace Emc.Imaging;

/// <summary>Resizes <see cref="RgbImage"/>s (see <see cref="ResizeMethod"/> for the exact sampling rules).</summary>
internal static class ImageResizer
{
    public static RgbImage Resize(RgbImage image, int width, int height, ResizeMethod method)
    {
        if (width == image.Width && height == image.Height)
        {
            return image;
        }

        var pixels = new byte[width * height * 3];
        if (method == ResizeMethod.NearestCentre)
        {
            Nearest(image, width, height, pixels);
        }
        else
        {
            Bilinear(image, width, height, pixels);
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>floor((d + 0.5)·src/dst) computed exactly in integers as ((2d + 1)·src) / (2·dst).</summary>
    internal static int NearestSource(int d, int src, int dst) => (int)(((2L * d) + 1) * src / (2L * dst));

    private static void Nearest(RgbImage image, int width, int height, byte[] pixels)
    {
        var xs = new int[width];
        for (int x = 0; x < width; x++)
        {
            xs[x] = NearestSource(x, image.Width, width) * 3;
        }

        ReadOnlySpan<byte> src = image.Pixels;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = src.Slice(NearestSource(y, image.Height, height) * image.Width * 3, image.Width * 3);
            Span<byte> dst = pixels.AsSpan(y * width * 3, width * 3);
            for (int x = 0; x < width; x++)
            {
                int s = xs[x];
                dst[x * 3] = row[s];
                dst[(x * 3) + 1] = row[s + 1];
                dst[(x * 3) + 2] = row[s + 2];
            }
        }
    }

    private static void Bilinear(RgbImage image, int width, int height, byte[] pixels)
    {
        (int[] x0, int[] x1, float[] fx) = Weights(image.Width, width);
        (int[] y0, int[] y1, float[] fy) = Weights(image.Height, height);
        byte[] src = image.Pixels;
        int stride = image.Width * 3;
        for (int y = 0; y < height; y++)
        {
            int r0 = y0[y] * stride, r1 = y1[y] * stride;
            float wy = fy[y];
            for (int x = 0; x < width; x++)
            {
                int a = x0[x] * 3, b = x1[x] * 3;
                float wx = fx[x];
                for (int c = 0; c < 3; c++)
                {
                    float top = src[r0 + a + c] + ((src[r0 + b + c] - src[r0 + a + c]) * wx);
                    float bottom = src[r1 + a + c] + ((src[r1 + b + c] - src[r1 + a + c]) * wx);
                    float v = top + ((bottom - top) * wy);
                    pixels[(((y * width) + x) * 3) + c] = (byte)Math.Clamp((int)MathF.Floor(v + 0.5f), 0, 255);
                }
            }
        }
    }

    private static (int[] Lo, int[] Hi, float[] Frac) Weights(int srcSize, int dstSize)
    {
        var lo = new int[dstSize];
        var hi = new int[dstSize];
        var frac = new float[dstSize];
        for (int d = 0; d < dstSize; d++)
        {
            double s = Math.Clamp(((d + 0.5) * srcSize / dstSize) - 0.5, 0, srcSize - 1);
            lo[d] = (int)s;
            hi[d] = Math.Min(lo[d] + 1, srcSize - 1);
            frac[d] = (float)(s - lo[d]);
        }

        return (lo, hi, frac);
    }
}
