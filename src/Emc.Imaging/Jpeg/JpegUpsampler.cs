namespace Emc.Imaging.Jpeg;

/// <summary>
/// Brings a decoded component plane to full resolution the way libjpeg-turbo does by default: "fancy" triangular
/// filters for 2:1 horizontal (h2v1), 2:1 vertical (h1v2) and 2:1 both (h2v2), with edge rows/columns
/// replicated; plain replication for any other integer factor (and for planes at most 2 samples wide).
/// </summary>
internal static class JpegUpsampler
{
    /// <summary>
    /// Produces a full-resolution plane of <paramref name="outWidth"/> × <paramref name="outHeight"/> (at least the
    /// image size) from <paramref name="plane"/> (row stride <paramref name="stride"/>, real size w × h).
    /// </summary>
    public static byte[] Upsample(byte[] plane, int stride, int w, int h, int hFactor, int vFactor, int outWidth, int outHeight)
    {
        var output = new byte[outWidth * outHeight];
        bool fancyH = hFactor == 2 && w > 2;
        if (hFactor == 2 && vFactor == 2 && fancyH)
        {
            H2V2(plane, stride, w, h, output, outWidth, outHeight);
        }
        else if (hFactor == 2 && vFactor == 1 && fancyH)
        {
            var full = new byte[2 * w];
            for (int y = 0; y < outHeight; y++)
            {
                H2V1(plane.AsSpan(Math.Min(y, h - 1) * stride, w), full);
                full.AsSpan(0, outWidth).CopyTo(output.AsSpan(y * outWidth));
            }
        }
        else if (hFactor == 1 && vFactor == 2)
        {
            H1V2(plane, stride, w, h, output, outWidth, outHeight);
        }
        else
        {
            for (int y = 0; y < outHeight; y++)
            {
                ReadOnlySpan<byte> src = plane.AsSpan(Math.Min(y / vFactor, h - 1) * stride);
                Span<byte> dst = output.AsSpan(y * outWidth, outWidth);
                for (int x = 0; x < outWidth; x++)
                {
                    dst[x] = src[Math.Min(x / hFactor, w - 1)];
                }
            }
        }

        return output;
    }

    private static void H2V1(ReadOnlySpan<byte> src, Span<byte> full)
    {
        int w = src.Length;
        full[0] = src[0];
        full[1] = (byte)(((src[0] * 3) + src[1] + 2) >> 2);
        for (int i = 1; i < w - 1; i++)
        {
            int v = src[i] * 3;
            full[2 * i] = (byte)((v + src[i - 1] + 1) >> 2);
            full[(2 * i) + 1] = (byte)((v + src[i + 1] + 2) >> 2);
        }

        full[(2 * w) - 2] = (byte)(((src[w - 1] * 3) + src[w - 2] + 1) >> 2);
        full[(2 * w) - 1] = src[w - 1];
    }

    private static void H2V2(byte[] plane, int stride, int w, int h, byte[] output, int outWidth, int outHeight)
    {
        var sums = new int[w];
        var row = new byte[2 * w];
        for (int y = 0; y < outHeight; y++)
        {
            int inRow = Math.Min(y >> 1, h - 1);
            int nearRow = (y & 1) == 0 ? Math.Max(inRow - 1, 0) : Math.Min(inRow + 1, h - 1);
            ReadOnlySpan<byte> in0 = plane.AsSpan(inRow * stride, w);
            ReadOnlySpan<byte> in1 = plane.AsSpan(nearRow * stride, w);
            for (int x = 0; x < w; x++)
            {
                sums[x] = (in0[x] * 3) + in1[x];
            }

            row[0] = (byte)(((sums[0] * 4) + 8) >> 4);
            row[1] = (byte)(((sums[0] * 3) + sums[1] + 7) >> 4);
            for (int x = 1; x < w - 1; x++)
            {
                int t = sums[x] * 3;
                row[2 * x] = (byte)((t + sums[x - 1] + 8) >> 4);
                row[(2 * x) + 1] = (byte)((t + sums[x + 1] + 7) >> 4);
            }

            row[(2 * w) - 2] = (byte)(((sums[w - 1] * 3) + sums[w - 2] + 8) >> 4);
            row[(2 * w) - 1] = (byte)(((sums[w - 1] * 4) + 7) >> 4);
            row.AsSpan(0, Math.Min(outWidth, 2 * w)).CopyTo(output.AsSpan(y * outWidth));
        }
    }

    private static void H1V2(byte[] plane, int stride, int w, int h, byte[] output, int outWidth, int outHeight)
    {
        for (int y = 0; y < outHeight; y++)
        {
            int inRow = Math.Min(y >> 1, h - 1);
            bool upper = (y & 1) == 0;
            int nearRow = upper ? Math.Max(inRow - 1, 0) : Math.Min(inRow + 1, h - 1);
            int bias = upper ? 1 : 2;
            ReadOnlySpan<byte> in0 = plane.AsSpan(inRow * stride, w);
            ReadOnlySpan<byte> in1 = plane.AsSpan(nearRow * stride, w);
            Span<byte> dst = output.AsSpan(y * outWidth, Math.Min(outWidth, w));
            for (int x = 0; x < dst.Length; x++)
            {
                dst[x] = (byte)(((in0[x] * 3) + in1[x] + bias) >> 2);
            }
        }
    }
}
