using System.Buffers.Binary;

namespace Emc.Imaging.Tests.Support;

/// <summary>Test-side BMP writer for synthetic files of every variant the decoder claims to read.</summary>
internal static class BmpWriter
{
    /// <summary>Writes pre-packed pixel rows (top row first, each padded to 4 bytes by the writer) with the given headers.</summary>
    public static byte[] Write(
        int width, int height, int bitCount, Func<int, byte[]> packRow,
        bool topDown = false, int headerSize = 40, uint compression = 0,
        uint[]? masks = null, byte[][]? palette = null, int colorsUsed = 0)
    {
        int stride = ((width * bitCount) + 31) / 32 * 4;
        bool masksAfterHeader = headerSize == 40 && masks is not null;
        int paletteBytes = (palette?.Length ?? 0) * 4;
        int pixelOffset = 14 + headerSize + (masksAfterHeader ? 4 * masks!.Length : 0) + paletteBytes;
        var file = new byte[pixelOffset + (stride * height)];
        var s = file.AsSpan();
        s[0] = (byte)'B';
        s[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(s[2..], (uint)file.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[10..], (uint)pixelOffset);
        var info = s[14..];
        BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)headerSize);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], width);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], topDown ? -height : height);
        BinaryPrimitives.WriteUInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(info[14..], (ushort)bitCount);
        BinaryPrimitives.WriteUInt32LittleEndian(info[16..], compression);
        BinaryPrimitives.WriteUInt32LittleEndian(info[20..], (uint)(stride * height));
        BinaryPrimitives.WriteUInt32LittleEndian(info[32..], (uint)colorsUsed);
        int pos = 14 + 40;
        if (masks is not null)
        {
            foreach (uint m in masks)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s[pos..], m);
                pos += 4;
            }
        }

        pos = 14 + headerSize + (masksAfterHeader ? 4 * masks!.Length : 0);
        foreach (byte[] rgb in palette ?? [])
        {
            s[pos] = rgb[2];
            s[pos + 1] = rgb[1];
            s[pos + 2] = rgb[0];
            pos += 4;
        }

        for (int y = 0; y < height; y++)
        {
            int fileRow = topDown ? y : height - 1 - y;
            packRow(y).CopyTo(s[(pixelOffset + (fileRow * stride))..]);
        }

        return file;
    }
}
