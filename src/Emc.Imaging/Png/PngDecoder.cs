using System.Buffers.Binary;
using System.IO.Compression;

namespace Emc.Imaging.Png;

/// <summary>
/// PNG: every colour type and bit depth, Adam7 interlace, all filters, several IDAT chunks, CRC checked.
/// Output is 8-bit RGB: 16-bit samples keep their high byte (as libpng's strip-16 and PIL do), 1/2/4-bit gray
/// is scaled to 0..255 (×255, ×85, ×17), palette indices are looked up, alpha and tRNS are ignored.
/// </summary>
internal static class PngDecoder
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Adam7 pass origins and steps: x0, y0, dx, dy.
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        int pos = Signature.Length;
        PngHeader? header = null;
        byte[]? palette = null;
        var compressed = new MemoryStream();
        bool ended = false;
        while (!ended)
        {
            if (data.Length - pos < 12)
            {
                throw Fail.Truncated("PNG");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            if (length > int.MaxValue || length > data.Length - pos - 12)
            {
                throw Fail.Corrupt($"PNG chunk at offset {pos} declares {length} bytes, past the end of the file");
            }

            ReadOnlySpan<byte> typeAndData = data.Slice(pos + 4, 4 + (int)length);
            ReadOnlySpan<byte> body = typeAndData[4..];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (Crc32.Compute(typeAndData) != crc)
            {
                throw Fail.With(ImagingDiagnostics.PngCrcMismatch, $"PNG chunk '{type}' at offset {pos} has a bad CRC");
            }

            if (header is null && type != "IHDR")
            {
                throw Fail.Corrupt("PNG does not start with an IHDR chunk");
            }

            switch (type)
            {
                case "IHDR":
                    header = ReadHeader(body);
                    break;
                case "PLTE":
                    palette = body.ToArray();
                    if (palette.Length % 3 != 0 || palette.Length > 256 * 3)
                    {
                        throw Fail.Corrupt($"PNG palette has {palette.Length} bytes, not a multiple of 3 up to 768");
                    }

                    break;
                case "IDAT":
                    compressed.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if ((typeAndData[0] & 0x20) == 0)
                    {
                        throw Fail.With(ImagingDiagnostics.PngUnsupported, $"PNG has unknown critical chunk '{type}'");
                    }

                    break;
            }

            pos += 12 + (int)length;
        }

        PngHeader h = header!.Value;
        if (h.ColorType == PngHeader.Palette && palette is null)
        {
            throw Fail.Corrupt("PNG palette image has no PLTE chunk");
        }

        long expected = ExpectedRawSize(h);
        if (expected > (compressed.Length * 1100L) + 4096)
        {
            // Deflate cannot expand more than ~1032:1, so the header lies; refuse before allocating.
            throw Fail.Corrupt($"PNG declares {h.Width}x{h.Height} but has only {compressed.Length} bytes of image data");
        }

        byte[] raw = Inflate(compressed, expected);
        var pixels = new byte[(long)h.Width * h.Height * 3];
        var expander = new PngPixelExpander(h, palette);
        if (!h.Interlaced)
        {
            Unfilter(raw, 0, h, h.Width, h.Height, (row, y) => expander.Expand(row, pixels, y, 0, 1, h.Width));
        }
        else
        {
            int offset = 0;
            for (int pass = 0; pass < 7; pass++)
            {
                (int w, int ph) = PassSize(h, pass);
                int x0 = Adam7[pass * 4], y0 = Adam7[(pass * 4) + 1], dx = Adam7[(pass * 4) + 2], dy = Adam7[(pass * 4) + 3];
                offset = Unfilter(raw, offset, h, w, ph, (row, y) => expander.Expand(row, pixels, y0 + (y * dy), x0, dx, w));
            }
        }

        return new RgbImage(h.Width, h.Height, pixels);
    }

    private static PngHeader ReadHeader(ReadOnlySpan<byte> body)
    {
        if (body.Length != 13)
        {
            throw Fail.Corrupt($"PNG IHDR has {body.Length} bytes instead of 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int bitDepth = body[8], colorType = body[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw Fail.Corrupt($"PNG has invalid dimensions {width}x{height}");
        }

        ImageLimits.Check(width, height, "PNG");
        if (!PngHeader.IsValidCombination(colorType, bitDepth))
        {
            throw Fail.Corrupt($"PNG colour type {colorType} with bit depth {bitDepth} is not a valid combination");
        }

        if (body[10] != 0 || body[11] != 0)
        {
            throw Fail.With(ImagingDiagnostics.PngUnsupported, $"PNG compression method {body[10]} / filter method {body[11]} is not supported");
        }

        if (body[12] > 1)
        {
            throw Fail.With(ImagingDiagnostics.PngUnsupported, $"PNG interlace method {body[12]} is not supported");
        }

        return new PngHeader((int)width, (int)height, bitDepth, colorType, body[12] == 1);
    }

    private static (int Width, int Height) PassSize(in PngHeader h, int pass)
    {
        int x0 = Adam7[pass * 4], y0 = Adam7[(pass * 4) + 1], dx = Adam7[(pass * 4) + 2], dy = Adam7[(pass * 4) + 3];
        int w = h.Width > x0 ? (h.Width - x0 + dx - 1) / dx : 0;
        int ph = h.Height > y0 ? (h.Height - y0 + dy - 1) / dy : 0;
        return w == 0 || ph == 0 ? (0, 0) : (w, ph);
    }

    private static long ExpectedRawSize(in PngHeader h)
    {
        if (!h.Interlaced)
        {
            return (h.RowBytes(h.Width) + 1) * h.Height;
        }

        long total = 0;
        for (int pass = 0; pass < 7; pass++)
        {
            (int w, int ph) = PassSize(h, pass);
            total += w == 0 ? 0 : (h.RowBytes(w) + 1) * ph;
        }

        return total;
    }

    private static byte[] Inflate(MemoryStream compressed, long expected)
    {
        var raw = new byte[expected];
        compressed.Position = 0;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            int filled = 0;
            while (filled < raw.Length)
            {
                int n = zlib.Read(raw, filled, raw.Length - filled);
                if (n == 0)
                {
                    throw Fail.Corrupt($"PNG image data inflates to {filled} bytes, {expected} expected");
                }

                filled += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw Fail.Corrupt("PNG image data is not a valid zlib stream: " + e.Message);
        }

        return raw;
    }

    private delegate void RowSink(ReadOnlySpan<byte> row, int y);

    /// <summary>Unfilters the rows of one (sub)image starting at <paramref name="offset"/>; returns the offset after it.</summary>
    private static int Unfilter(byte[] raw, int offset, in PngHeader h, int width, int height, RowSink sink)
    {
        if (width == 0)
        {
            return offset;
        }

        int rowBytes = (int)h.RowBytes(width);
        int stride = h.FilterStride;
        byte[] zero = new byte[rowBytes];
        ReadOnlySpan<byte> previous = zero;
        for (int y = 0; y < height; y++)
        {
            int filter = raw[offset];
            Span<byte> row = raw.AsSpan(offset + 1, rowBytes);
            PngFilters.Unfilter(filter, row, previous, stride);
            sink(row, y);
            previous = row;
            offset += rowBytes + 1;
        }

        return offset;
    }
}
