using System.Buffers.Binary;
using Emc.Imaging.Tests.Support;

namespace Emc.Imaging.Tests;

/// <summary>PNGs written by netpbm's pnmtopng (libpng) from known pixels must decode to exactly those pixels.</summary>
[TestClass]
public sealed class PngDecoderTests
{
    private static readonly string[] s_filters = ["-nofilter", "-sub", "-up", "-avg", "-paeth", ""];

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    [DataRow(15)]
    [DataRow(255)]
    [DataRow(65535)]
    public void GrayOfEveryDepth(int maxValue)
    {
        int depth = maxValue switch { 1 => 1, 3 => 2, 15 => 4, 255 => 8, _ => 16 };
        Pnm source = RandomPnm(1, maxValue, 37, 23, maxValue);
        foreach (bool interlace in new[] { false, true })
        {
            byte[] png = Encode(source, interlace, "-force");
            AssertHeader(png, colorType: 0, depth, interlace);
            CollectionAssert.AreEqual(Expected(source), ImageAssert.Decodes(png, "gray").Pixels, $"gray {depth}-bit interlace={interlace}");
        }
    }

    [TestMethod]
    [DataRow(255, 8)]
    [DataRow(65535, 16)]
    public void RgbWithEveryFilter(int maxValue, int depth)
    {
        Pnm source = RandomPnm(3, maxValue, 41, 29, maxValue);
        foreach (string filter in s_filters)
        {
            foreach (bool interlace in new[] { false, true })
            {
                byte[] png = Encode(source, interlace, "-force", filter);
                AssertHeader(png, colorType: 2, depth, interlace);
                CollectionAssert.AreEqual(Expected(source), ImageAssert.Decodes(png, "rgb").Pixels, $"rgb{depth} {filter} interlace={interlace}");
            }
        }
    }

    [TestMethod]
    [DataRow(2, 1)]
    [DataRow(4, 2)]
    [DataRow(16, 4)]
    [DataRow(200, 8)]
    public void PaletteOfEveryDepth(int colours, int depth)
    {
        var rng = new Random(colours);
        ushort[][] palette = [.. Enumerable.Range(0, colours).Select(_ => new[] { (ushort)rng.Next(256), (ushort)rng.Next(256), (ushort)rng.Next(256) })];
        const int width = 45, height = 19;
        ushort[] samples = [.. Enumerable.Range(0, width * height).SelectMany(_ => palette[rng.Next(colours)])];
        var source = new Pnm(width, height, 3, 255, samples);
        foreach (bool interlace in new[] { false, true })
        {
            byte[] png = Encode(source, interlace);
            AssertHeader(png, colorType: 3, depth, interlace);
            CollectionAssert.AreEqual(Expected(source), ImageAssert.Decodes(png, "palette").Pixels, $"palette {depth}-bit interlace={interlace}");
        }
    }

    [TestMethod]
    [DataRow(1, 255, 4, 8)]
    [DataRow(1, 65535, 4, 16)]
    [DataRow(3, 255, 6, 8)]
    [DataRow(3, 65535, 6, 16)]
    public void AlphaIsDropped(int channels, int maxValue, int colorType, int depth)
    {
        Pnm source = RandomPnm(channels, maxValue, 33, 17, maxValue);
        Pnm alpha = RandomPnm(1, maxValue, 33, 17, maxValue + 7);
        string alphaFile = Path.Combine(Path.GetTempPath(), $"emc-alpha-{Guid.NewGuid():N}.pgm");
        File.WriteAllBytes(alphaFile, alpha.Encode());
        try
        {
            foreach (bool interlace in new[] { false, true })
            {
                byte[] png = Encode(source, interlace, "-force", "-alpha=" + alphaFile);
                AssertHeader(png, colorType, depth, interlace);
                CollectionAssert.AreEqual(Expected(source), ImageAssert.Decodes(png, "alpha").Pixels, $"type {colorType} {depth}-bit interlace={interlace}");
            }
        }
        finally
        {
            File.Delete(alphaFile);
        }
    }

    [TestMethod]
    public void TinyInterlacedImagesWithEmptyPasses()
    {
        foreach ((int w, int h) in new[] { (1, 1), (1, 5), (3, 1), (2, 2), (9, 3) })
        {
            Pnm source = RandomPnm(3, 255, w, h, w * 100 + h);
            byte[] png = Encode(source, interlace: true, "-force");
            CollectionAssert.AreEqual(Expected(source), ImageAssert.Decodes(png, "tiny").Pixels, $"{w}x{h}");
        }
    }

    [TestMethod]
    public void SeveralIdatChunksAndCrcCheck()
    {
        Pnm source = RandomPnm(3, 255, 160, 120, 5); // noise: ~57 KB of IDAT, split by libpng into 8 KB chunks
        byte[] png = Encode(source, interlace: false, "-force");
        List<(string Type, int Offset, int Length)> chunks = Chunks(png);
        Assert.IsTrue(chunks.Count(c => c.Type == "IDAT") >= 2, "expected several IDAT chunks");
        CollectionAssert.AreEqual(Expected(source), ImageAssert.Decodes(png, "multi-IDAT").Pixels);

        var idat = chunks.First(c => c.Type == "IDAT");
        byte[] badCrc = (byte[])png.Clone();
        badCrc[idat.Offset + 8 + 10] ^= 0x40;
        ImageAssert.Fails(badCrc, "EMC0707", "flipped IDAT byte");

        ImageAssert.Fails(png[..(idat.Offset + 100)], "EMC0703", "truncated");
    }

    [TestMethod]
    public void UnknownCriticalChunkIsUnsupported()
    {
        byte[] png = Encode(RandomPnm(3, 255, 4, 4, 1), false, "-force");
        int iend = Chunks(png).First(c => c.Type == "IEND").Offset;
        byte[] chunk = [0, 0, 0, 0, (byte)'Z', (byte)'Z', (byte)'Z', (byte)'Z', 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), Crc(chunk.AsSpan(4, 4)));
        byte[] withChunk = [.. png[..iend], .. chunk, .. png[iend..]];
        ImageAssert.Fails(withChunk, "EMC0706", "critical chunk ZZZZ");
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF; // bitwise CRC-32 (PNG spec, annex D)
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte[] Encode(Pnm source, bool interlace, params string[] options)
    {
        string input = Path.Combine(Path.GetTempPath(), $"emc-png-{Guid.NewGuid():N}.pnm");
        File.WriteAllBytes(input, source.Encode());
        try
        {
            List<string> args = [.. options.Where(o => o.Length > 0)];
            if (interlace)
            {
                args.Add("-interlace");
            }

            args.Add(input);
            return ExternalTool.Run("pnmtopng", args);
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>Expected 8-bit RGB: 16-bit keeps the high byte, low-depth gray scales exactly to 0..255.</summary>
    private static byte[] Expected(Pnm source)
    {
        var rgb = new byte[source.Width * source.Height * 3];
        for (int p = 0; p < source.Width * source.Height; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                int v = source.Samples[(p * source.Channels) + (source.Channels == 3 ? c : 0)];
                rgb[(p * 3) + c] = source.MaxValue switch
                {
                    65535 => (byte)(v >> 8),
                    255 => (byte)v,
                    _ => (byte)(v * 255 / source.MaxValue),
                };
            }
        }

        return rgb;
    }

    private static Pnm RandomPnm(int channels, int maxValue, int width, int height, int seed)
    {
        var rng = new Random(seed);
        ushort[] samples = [.. Enumerable.Range(0, width * height * channels).Select(_ => (ushort)rng.Next(maxValue + 1))];
        return new Pnm(width, height, channels, maxValue, samples);
    }

    private static void AssertHeader(byte[] png, int colorType, int depth, bool interlace)
    {
        Assert.AreEqual((depth, colorType, interlace ? 1 : 0), (png[24], png[25], png[28]), "pnmtopng wrote another PNG variant than the test wants");
    }

    private static List<(string Type, int Offset, int Length)> Chunks(byte[] png)
    {
        var list = new List<(string, int, int)>();
        for (int pos = 8; pos + 12 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            list.Add((System.Text.Encoding.ASCII.GetString(png, pos + 4, 4), pos, length));
            pos += 12 + length;
        }

        return list;
    }
}
