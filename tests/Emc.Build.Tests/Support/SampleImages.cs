using System.Buffers.Binary;

namespace Emc.Build.Tests.Support;

/// <summary>Deterministic 24-bit BMP calibration images (smooth gradients + a seeded pattern), a few hundred bytes each.</summary>
public static class SampleImages
{
    public static byte[] Bmp(int width, int height, int seed)
    {
        int rowBytes = ((width * 3) + 3) & ~3;
        var bytes = new byte[54 + (rowBytes * height)];
        var span = bytes.AsSpan();
        span[0] = (byte)'B';
        span[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], rowBytes * height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = 54 + (y * rowBytes) + (x * 3);
                bytes[o] = (byte)((x * 255 / Math.Max(width - 1, 1)) ^ (seed * 37));
                bytes[o + 1] = (byte)((y * 255 / Math.Max(height - 1, 1)) + (seed * 53));
                bytes[o + 2] = (byte)(((x + y + seed) * 97) & 0xFF);
            }
        }

        return bytes;
    }
}
