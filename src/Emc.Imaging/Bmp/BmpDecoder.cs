using System.Buffers.Binary;
using System.Numerics;

namespace Emc.Imaging.Bmp;

/// <summary>
/// Windows BMP: BITMAPINFOHEADER (40 bytes) and its V2/V3/V4/V5 extensions (52/56/108/124 bytes); 1/4/8 bpp
/// with a palette, 16 bpp (5-5-5 or bit fields), 24 bpp, 32 bpp (BGRX or bit fields); bottom-up or top-down.
/// RLE, JPEG/PNG-in-BMP and the OS/2 core header are reported as unsupported. Alpha is dropped.
/// </summary>
internal static class BmpDecoder
{
    private const int FileHeaderSize = 14;
    private const uint BiRgb = 0;
    private const uint BiRle8 = 1;
    private const uint BiRle4 = 2;
    private const uint BiBitFields = 3;
    private const uint BiJpeg = 4;
    private const uint BiPng = 5;
    private const uint BiAlphaBitFields = 6;

    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < FileHeaderSize + 4)
        {
            throw Fail.Truncated("BMP");
        }

        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        if (headerSize == 12 || headerSize == 16 || headerSize == 64)
        {
            throw Fail.With(ImagingDiagnostics.BmpUnsupported, $"BMP with the OS/2 {headerSize}-byte header is not supported");
        }

        if (headerSize < 40 || headerSize > 1024)
        {
            throw Fail.Corrupt($"BMP info header size {headerSize} is not a known BITMAPINFOHEADER size");
        }

        if (data.Length < FileHeaderSize + headerSize)
        {
            throw Fail.Truncated("BMP");
        }

        ReadOnlySpan<byte> info = data.Slice(FileHeaderSize, (int)headerSize);
        int width = BinaryPrimitives.ReadInt32LittleEndian(info[4..]);
        int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(info[8..]);
        int bitCount = BinaryPrimitives.ReadUInt16LittleEndian(info[14..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(info[16..]);
        uint colorsUsed = BinaryPrimitives.ReadUInt32LittleEndian(info[32..]);

        bool topDown = rawHeight < 0;
        long height = Math.Abs((long)rawHeight);
        ImageLimits.Check(width, height, "BMP");

        switch (compression)
        {
            case BiRle8 or BiRle4:
                throw Fail.With(ImagingDiagnostics.BmpUnsupported, "RLE-compressed BMP is not supported");
            case BiJpeg or BiPng:
                throw Fail.With(ImagingDiagnostics.BmpUnsupported, "BMP with embedded JPEG/PNG data is not supported");
            case BiRgb or BiBitFields or BiAlphaBitFields:
                break;
            default:
                throw Fail.With(ImagingDiagnostics.BmpUnsupported, $"BMP compression {compression} is not supported");
        }

        bool bitFields = compression != BiRgb;
        if (bitFields && bitCount != 16 && bitCount != 32)
        {
            throw Fail.With(ImagingDiagnostics.BmpUnsupported, $"BMP bit fields with {bitCount} bpp are not supported");
        }

        if (bitCount is not (1 or 4 or 8 or 16 or 24 or 32))
        {
            throw Fail.With(ImagingDiagnostics.BmpUnsupported, $"BMP with {bitCount} bits per pixel is not supported");
        }

        long stride = (((long)width * bitCount) + 31) / 32 * 4;
        if (pixelOffset > data.Length || (data.Length - pixelOffset) < stride * height)
        {
            throw Fail.Corrupt($"BMP pixel data ({stride * height} bytes at offset {pixelOffset}) runs past the end of the file ({data.Length} bytes)");
        }

        var pixels = new byte[width * height * 3];
        ReadOnlySpan<byte> source = data.Slice((int)pixelOffset, (int)(stride * height));
        int w = width;
        int h = (int)height;
        int rowBytes = (int)stride;

        if (bitCount <= 8)
        {
            byte[] palette = ReadPalette(data, FileHeaderSize + (int)headerSize + (compression == BiBitFields && headerSize == 40 ? 12 : 0), colorsUsed, bitCount, (int)pixelOffset);
            for (int y = 0; y < h; y++)
            {
                DecodeIndexedRow(source.Slice(SourceRow(y, h, topDown) * rowBytes, rowBytes), pixels.AsSpan(y * w * 3, w * 3), bitCount, palette);
            }
        }
        else if (bitCount == 24)
        {
            for (int y = 0; y < h; y++)
            {
                ReadOnlySpan<byte> row = source.Slice(SourceRow(y, h, topDown) * rowBytes, w * 3);
                Span<byte> dst = pixels.AsSpan(y * w * 3, w * 3);
                for (int x = 0; x < dst.Length; x += 3)
                {
                    dst[x] = row[x + 2];
                    dst[x + 1] = row[x + 1];
                    dst[x + 2] = row[x];
                }
            }
        }
        else
        {
            BitFieldMasks masks = ReadMasks(data, compression, bitCount);
            for (int y = 0; y < h; y++)
            {
                DecodeMaskedRow(source.Slice(SourceRow(y, h, topDown) * rowBytes, rowBytes), pixels.AsSpan(y * w * 3, w * 3), bitCount, masks);
            }
        }

        return new RgbImage(w, h, pixels);
    }

    private static int SourceRow(int y, int height, bool topDown) => topDown ? y : height - 1 - y;

    /// <summary>Palette as 256 RGB triples; entries past the stored ones are black, so any index is valid.</summary>
    private static byte[] ReadPalette(ReadOnlySpan<byte> data, int offset, uint colorsUsed, int bitCount, int pixelOffset)
    {
        int max = 1 << bitCount;
        int count = colorsUsed == 0 || colorsUsed > max ? max : (int)colorsUsed;
        int available = Math.Max(0, Math.Min(data.Length, pixelOffset) - offset) / 4;
        if (available < count)
        {
            if (colorsUsed != 0 || available == 0)
            {
                throw Fail.Corrupt($"BMP palette needs {count} entries but only {available} fit before the pixel data");
            }

            count = available;
        }

        var palette = new byte[256 * 3];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> bgr = data.Slice(offset + (i * 4), 3);
            palette[i * 3] = bgr[2];
            palette[(i * 3) + 1] = bgr[1];
            palette[(i * 3) + 2] = bgr[0];
        }

        return palette;
    }

    private static void DecodeIndexedRow(ReadOnlySpan<byte> row, Span<byte> dst, int bitCount, byte[] palette)
    {
        int perByte = 8 / bitCount;
        int mask = (1 << bitCount) - 1;
        int width = dst.Length / 3;
        for (int x = 0; x < width; x++)
        {
            int shift = 8 - (bitCount * ((x % perByte) + 1));
            int index = (row[x / perByte] >> shift) & mask;
            palette.AsSpan(index * 3, 3).CopyTo(dst.Slice(x * 3, 3));
        }
    }

    private static void DecodeMaskedRow(ReadOnlySpan<byte> row, Span<byte> dst, int bitCount, in BitFieldMasks masks)
    {
        int width = dst.Length / 3;
        for (int x = 0; x < width; x++)
        {
            uint value = bitCount == 32
                ? BinaryPrimitives.ReadUInt32LittleEndian(row[(x * 4)..])
                : BinaryPrimitives.ReadUInt16LittleEndian(row[(x * 2)..]);
            dst[x * 3] = masks.Red.Extract(value);
            dst[(x * 3) + 1] = masks.Green.Extract(value);
            dst[(x * 3) + 2] = masks.Blue.Extract(value);
        }
    }

    private static BitFieldMasks ReadMasks(ReadOnlySpan<byte> data, uint compression, int bitCount)
    {
        if (compression == BiRgb)
        {
            return bitCount == 32
                ? new BitFieldMasks(new(0x00FF0000), new(0x0000FF00), new(0x000000FF))
                : new BitFieldMasks(new(0x7C00), new(0x03E0), new(0x001F));
        }

        // V2+ headers hold the masks at info offset 40; a plain 40-byte header is followed by them.
        int offset = FileHeaderSize + 40;
        if (data.Length < offset + 12)
        {
            throw Fail.Truncated("BMP");
        }

        return new BitFieldMasks(
            new(BinaryPrimitives.ReadUInt32LittleEndian(data[offset..])),
            new(BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..])),
            new(BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 8)..])));
    }

    private readonly record struct BitFieldMasks(ChannelMask Red, ChannelMask Green, ChannelMask Blue);

    /// <summary>One colour mask: the field is shifted down and scaled to 0..255 with rounding.</summary>
    private readonly struct ChannelMask
    {
        private readonly uint _mask;
        private readonly int _shift;
        private readonly uint _max;

        public ChannelMask(uint mask)
        {
            _mask = mask;
            _shift = mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask);
            _max = mask >> _shift;
        }

        public byte Extract(uint value)
        {
            if (_max == 0)
            {
                return 0;
            }

            ulong field = (value & _mask) >> _shift;
            return (byte)(((field * 255) + (_max / 2)) / _max);
        }
    }
}
