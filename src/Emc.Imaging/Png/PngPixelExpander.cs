namespace Emc.Imaging.Png;

/// <summary>Converts one unfiltered PNG row of any colour type and depth to 8-bit RGB in the output image.</summary>
internal sealed class PngPixelExpander
{
    private readonly PngHeader _header;
    private readonly byte[] _palette = new byte[256 * 3];

    public PngPixelExpander(PngHeader header, byte[]? palette)
    {
        _header = header;
        palette?.CopyTo(_palette, 0); // indices past the stored entries read as black
    }

    /// <summary>Writes <paramref name="count"/> pixels of <paramref name="row"/> to row <paramref name="y"/>, columns x0, x0+dx, ...</summary>
    public void Expand(ReadOnlySpan<byte> row, byte[] pixels, int y, int x0, int dx, int count)
    {
        int depth = _header.BitDepth;
        Span<byte> dst = pixels.AsSpan(y * _header.Width * 3);
        int bytesPerSample = depth == 16 ? 2 : 1;
        for (int i = 0; i < count; i++)
        {
            int o = (x0 + (i * dx)) * 3;
            switch (_header.ColorType)
            {
                case PngHeader.Gray:
                    {
                        byte g = depth >= 8 ? row[i * bytesPerSample] : ScaleLow(LowSample(row, i, depth), depth);
                        dst[o] = dst[o + 1] = dst[o + 2] = g;
                        break;
                    }

                case PngHeader.Palette:
                    {
                        int index = depth == 8 ? row[i] : LowSample(row, i, depth);
                        dst[o] = _palette[index * 3];
                        dst[o + 1] = _palette[(index * 3) + 1];
                        dst[o + 2] = _palette[(index * 3) + 2];
                        break;
                    }

                case PngHeader.GrayAlpha:
                    {
                        byte g = row[i * 2 * bytesPerSample];
                        dst[o] = dst[o + 1] = dst[o + 2] = g;
                        break;
                    }

                default:
                    {
                        int s = i * _header.Channels * bytesPerSample;
                        dst[o] = row[s];
                        dst[o + 1] = row[s + bytesPerSample];
                        dst[o + 2] = row[s + (2 * bytesPerSample)];
                        break;
                    }
            }
        }
    }

    private static int LowSample(ReadOnlySpan<byte> row, int i, int depth)
    {
        int bit = i * depth;
        return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }

    private static byte ScaleLow(int value, int depth) => (byte)(value * (255 / ((1 << depth) - 1)));
}
