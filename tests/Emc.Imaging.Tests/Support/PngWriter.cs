using System.Buffers.Binary;
using System.IO.Compression;

namespace Emc.Imaging.Tests.Support;

/// <summary>Minimal test-side PNG writer (8-bit RGB, filter None or Sub per row) for fuzz seeds that need no external tool.</summary>
internal static class PngWriter
{
    public static byte[] WriteRgb(int width, int height, byte[] rgb)
    {
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            int filter = y % 2;
            raw.WriteByte((byte)filter);
            for (int i = 0; i < width * 3; i++)
            {
                byte v = rgb[(y * width * 3) + i];
                raw.WriteByte(filter == 1 && i >= 3 ? (byte)(v - rgb[(y * width * 3) + i - 3]) : v);
            }
        }

        var z = new MemoryStream();
        using (var zlib = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw.ToArray());
        }

        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        byte[] data = z.ToArray();
        int half = data.Length / 2;
        Chunk(png, "IDAT", data[..half]);
        Chunk(png, "IDAT", data[half..]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, body.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        s.Write(header);
        s.Write(body);
        byte[] crcInput = [.. header[4..], .. body];
        uint crc = 0xFFFFFFFF;
        foreach (byte b in crcInput)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, ~crc);
        s.Write(tail);
    }
}
