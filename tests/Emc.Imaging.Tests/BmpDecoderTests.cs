using System.Buffers.Binary;
using Emc.Imaging.Tests.Support;
using Emc.Tests;

namespace Emc.Imaging.Tests;

[TestClass]
public sealed class BmpDecoderTests
{
    public static IEnumerable<object[]> RealBmps =>
    [
        ["maix-emc-mbnetv1/mbnetv1_dataset/tiger224.bmp", 224, 224],
        ["kmodel-v3/nncase-v0.1.0-rc5/20classes_yolo/dog.bmp", 320, 240],
        ["maix-emc-cifar10/plane.bmp", 32, 32],
        ["maix-emc-cifar10/cifar10_dataset/1.bmp", 32, 32],
    ];

    [TestMethod]
    [DynamicData(nameof(RealBmps))]
    public void RealBmpMatchesARawParseOfItsBottomUpRows(string relative, int width, int height)
    {
        byte[] file = File.ReadAllBytes(TestData.Path(relative.Split('/')));
        RgbImage image = ImageAssert.Decodes(file, relative);
        Assert.AreEqual(width, image.Width);
        Assert.AreEqual(height, image.Height);

        // Independent raw read: 24-bit BGR, rows bottom-up, padded to 4 bytes, pixels at bfOffBits.
        int offset = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(10));
        int stride = ((width * 3) + 3) & ~3;
        for (int y = 0; y < height; y += 7)
        {
            for (int x = 0; x < width; x += 5)
            {
                int p = offset + ((height - 1 - y) * stride) + (x * 3);
                CollectionAssert.AreEqual(new[] { file[p + 2], file[p + 1], file[p] }, image.PixelAt(x, y).ToArray(), $"{relative} ({x},{y})");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(RealBmps))]
    public void RealBmpMatchesNetpbmBmptopnm(string relative, int width, int height)
    {
        string path = TestData.Path(relative.Split('/'));
        Pnm reference = Pnm.Parse(ExternalTool.Run("bmptopnm", [path]));
        RgbImage image = ImageAssert.Decodes(File.ReadAllBytes(path), relative);
        Assert.AreEqual((width, height), (reference.Width, reference.Height));
        CollectionAssert.AreEqual(reference.ToRgb8(), image.Pixels);
    }

    [TestMethod]
    public void PaletteImagesWrittenByNetpbmDecodeExactly()
    {
        // ppmtobmp picks 1/4/8 bpp palettes when the image has few colours.
        string path = TestData.Path("maix-emc-cifar10", "plane.bmp");
        Pnm source = Pnm.Parse(ExternalTool.Run("bmptopnm", [path]));
        foreach (int colours in new[] { 2, 16, 256 })
        {
            byte[] reduced = ExternalTool.Run("pnmquant", [colours.ToString(System.Globalization.CultureInfo.InvariantCulture)], source.Encode());
            byte[] bmp = ExternalTool.Run("ppmtobmp", ["-windows"], reduced);
            int bpp = BinaryPrimitives.ReadUInt16LittleEndian(bmp.AsSpan(28));
            Assert.IsTrue(bpp <= 8, $"ppmtobmp wrote {bpp} bpp for {colours} colours");
            RgbImage image = ImageAssert.Decodes(bmp, $"{colours}-colour bmp");
            CollectionAssert.AreEqual(Pnm.Parse(reduced).ToRgb8(), image.Pixels, $"{colours} colours, {bpp} bpp");
        }
    }

    [TestMethod]
    [DataRow(24, false, 40)]
    [DataRow(24, true, 40)]
    [DataRow(24, false, 108)]
    [DataRow(24, true, 124)]
    [DataRow(32, false, 40)]
    [DataRow(32, true, 124)]
    public void DirectColourRoundTrips(int bitCount, bool topDown, int headerSize)
    {
        var rng = new Random(bitCount + headerSize + (topDown ? 1 : 0));
        foreach (int width in new[] { 1, 2, 3, 5, 7, 16 })
        {
            int height = 3 + (width % 4);
            byte[] rgb = RandomBytes(rng, width * height * 3);
            byte[] bmp = BmpWriter.Write(width, height, bitCount, y =>
            {
                var row = new byte[width * bitCount / 8];
                for (int x = 0; x < width; x++)
                {
                    int s = ((y * width) + x) * 3;
                    int d = x * bitCount / 8;
                    row[d] = rgb[s + 2];
                    row[d + 1] = rgb[s + 1];
                    row[d + 2] = rgb[s];
                    if (bitCount == 32)
                    {
                        row[d + 3] = (byte)rng.Next(256); // unused X byte must be ignored
                    }
                }

                return row;
            }, topDown, headerSize);
            CollectionAssert.AreEqual(rgb, ImageAssert.Decodes(bmp, "bmp").Pixels, $"{bitCount} bpp, width {width}");
        }
    }

    [TestMethod]
    [DataRow(40, 0x00FF0000u, 0x0000FF00u, 0x000000FFu)]
    [DataRow(40, 0x000000FFu, 0x0000FF00u, 0x00FF0000u)]
    [DataRow(124, 0xFF000000u, 0x00FF0000u, 0x0000FF00u)]
    [DataRow(108, 0x0000FF00u, 0xFF000000u, 0x000000FFu)]
    public void BitFields32RoundTrip(int headerSize, uint red, uint green, uint blue)
    {
        var rng = new Random((int)red);
        const int width = 5, height = 4;
        byte[] rgb = RandomBytes(rng, width * height * 3);
        byte[] bmp = BmpWriter.Write(width, height, 32, y =>
        {
            var row = new byte[width * 4];
            for (int x = 0; x < width; x++)
            {
                int s = ((y * width) + x) * 3;
                uint v = Place(rgb[s], red) | Place(rgb[s + 1], green) | Place(rgb[s + 2], blue);
                BinaryPrimitives.WriteUInt32LittleEndian(row.AsSpan(x * 4), v);
            }

            return row;
        }, headerSize: headerSize, compression: 3, masks: [red, green, blue]);
        CollectionAssert.AreEqual(rgb, ImageAssert.Decodes(bmp, "bitfields").Pixels);
    }

    [TestMethod]
    public void Rgb555And565ScaleFieldsToFullRange()
    {
        // 5-bit 31 → 255, 6-bit 32 → round(32·255/63) = 130, 5-bit 16 → round(16·255/31) = 132.
        byte[] b555 = BmpWriter.Write(1, 1, 16, _ => [0xFF, 0x7F, 0, 0]);
        CollectionAssert.AreEqual(new byte[] { 255, 255, 255 }, ImageAssert.Decodes(b555, "555").Pixels);
        ushort v565 = (16 << 11) | (32 << 5) | 31;
        byte[] b565 = BmpWriter.Write(1, 1, 16, _ => [(byte)v565, (byte)(v565 >> 8), 0, 0], compression: 3, masks: [0xF800, 0x07E0, 0x001F]);
        CollectionAssert.AreEqual(new byte[] { 132, 130, 255 }, ImageAssert.Decodes(b565, "565").Pixels);
    }

    [TestMethod]
    [DataRow(1, 0)]
    [DataRow(4, 0)]
    [DataRow(4, 9)]
    [DataRow(8, 0)]
    [DataRow(8, 200)]
    public void PaletteRoundTrips(int bitCount, int colorsUsed)
    {
        var rng = new Random(bitCount * 31 + colorsUsed);
        int entries = colorsUsed == 0 ? 1 << bitCount : colorsUsed;
        byte[][] palette = [.. Enumerable.Range(0, entries).Select(_ => RandomBytes(rng, 3))];
        foreach (bool topDown in new[] { false, true })
        {
            const int width = 13, height = 6;
            int[] indices = [.. Enumerable.Range(0, width * height).Select(_ => rng.Next(entries))];
            byte[] bmp = BmpWriter.Write(width, height, bitCount, y =>
            {
                var row = new byte[((width * bitCount) + 7) / 8];
                for (int x = 0; x < width; x++)
                {
                    int bit = x * bitCount;
                    row[bit / 8] |= (byte)(indices[(y * width) + x] << (8 - bitCount - (bit % 8)));
                }

                return row;
            }, topDown, palette: palette, colorsUsed: colorsUsed);
            byte[] expected = [.. indices.SelectMany(i => palette[i])];
            CollectionAssert.AreEqual(expected, ImageAssert.Decodes(bmp, "palette").Pixels, $"{bitCount} bpp top-down={topDown}");
        }
    }

    [TestMethod]
    public void BadBmpsGiveSpecificDiagnostics()
    {
        byte[] good = BmpWriter.Write(4, 4, 24, _ => new byte[12]);
        ImageAssert.Fails(good[..^5], "EMC0703", "truncated pixels");
        ImageAssert.Fails(good[..20], "EMC0703", "truncated header");

        byte[] rle = (byte[])good.Clone();
        rle[30] = 1;
        ImageAssert.Fails(rle, "EMC0705", "RLE8");

        byte[] huge = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(18), 60000);
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(22), 60000);
        ImageAssert.Fails(huge, "EMC0704", "60000x60000");

        byte[] zeroWidth = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(zeroWidth.AsSpan(18), 0);
        ImageAssert.Fails(zeroWidth, "EMC0703", "zero width");

        ImageAssert.Fails([1, 2, 3, 4], "EMC0701", "garbage");
    }

    [TestMethod]
    public void LoadReportsAMissingFileAsADiagnostic()
    {
        var result = ImageDecoder.Load(Path.Combine(Path.GetTempPath(), "emc-no-such-image.bmp"));
        Assert.IsFalse(result.Succeeded);
        Assert.AreEqual("EMC0702", result.Diagnostics[0].Code);
    }

    private static uint Place(byte value, uint mask) => (uint)value << System.Numerics.BitOperations.TrailingZeroCount(mask);

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
