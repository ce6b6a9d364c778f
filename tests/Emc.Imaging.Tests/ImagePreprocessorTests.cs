using System.Globalization;
using Emc.Imaging.Tests.Support;
using Emc.Tests;

namespace Emc.Imaging.Tests;

[TestClass]
public sealed class ImagePreprocessorTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// The MobileNet test sets were preprocessed outside this project (decode → nearest-centre resize to 224 →
    /// x/127.5 − 1). The BMP set has no decoder ambiguity and must match to float rounding; that pins the resize
    /// and the affine map. The JPEG sets were decoded by another decoder than libjpeg-turbo (measured: ±1..3 levels
    /// on 4:4:4 files, a mean under one level, and up to ~24 levels at chroma edges of 4:2:0 files, where the
    /// reference replicated chroma and libjpeg-turbo — like us — interpolates it), so they get measured bounds.
    /// </summary>
    [TestMethod]
    public void ReproducesMobileNetTestInputs()
    {
        string folder = TestData.Path("mobilenetv1-0.25-imagenet");
        string[] lines = File.ReadAllLines(Path.Combine(folder, "images.txt"));
        Assert.AreEqual(9, lines.Length);
        const float level = 1 / 127.5f;
        foreach (string line in lines)
        {
            string[] parts = line.Split('\t');
            (long[] dims, int type, byte[] raw) = TensorProtoReader.Read(File.ReadAllBytes(Path.Combine(folder, parts[0], "input_0.pb")));
            CollectionAssert.AreEqual(new long[] { 1, 3, 224, 224 }, dims);
            Assert.AreEqual(1, type, "float32");
            float[] expected = new float[3 * 224 * 224];
            Buffer.BlockCopy(raw, 0, expected, 0, raw.Length);

            RgbImage image = ImageAssert.Decodes(File.ReadAllBytes(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", parts[1])), parts[1]);
            var result = ImagePreprocessor.ToChwFloat(image, 224, 224, ChannelAffine.ToRange(-1, 1));
            Assert.IsTrue(result.Succeeded);
            float max = 0;
            double sum = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                float d = Math.Abs(expected[i] - result.Value![i]);
                max = Math.Max(max, d);
                sum += d;
            }

            double mean = sum / expected.Length;
            TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{parts[0]} {parts[1]} ({image.Width}x{image.Height}): max |Δ| {max:G3} ({max / level:F1} levels), mean {mean / level:F3} levels"));
            if (parts[1].EndsWith(".bmp", StringComparison.Ordinal))
            {
                Assert.IsTrue(max <= 1e-6f, $"{parts[1]}: max |Δ| {max}");
            }
            else
            {
                Assert.IsTrue(max <= 32 * level && mean <= 1.5 * level, $"{parts[1]}: max |Δ| {max / level} levels, mean {mean / level}");
            }
        }
    }

    [TestMethod]
    public void NearestCentreSamplesFloorOfScaledCentre()
    {
        // 5 columns → 3: floor(0.5·5/3)=0, floor(1.5·5/3)=2, floor(2.5·5/3)=4; 2 rows → 4: 0,0,1,1.
        RgbImage image = Gradient(5, 2);
        RgbImage resized = ImagePreprocessor.Resize(image, 3, 4).Value!;
        int[] cols = [0, 2, 4], rows = [0, 0, 1, 1];
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 3; x++)
            {
                CollectionAssert.AreEqual(image.PixelAt(cols[x], rows[y]).ToArray(), resized.PixelAt(x, y).ToArray());
            }
        }
    }

    [TestMethod]
    public void ChwPlanesInRgbAndBgrOrder()
    {
        RgbImage image = Gradient(4, 3);
        byte[] rgb = ImagePreprocessor.ToChwBytes(image, 4, 3).Value!;
        byte[] bgr = ImagePreprocessor.ToChwBytes(image, 4, 3, ChannelOrder.Bgr).Value!;
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                ReadOnlySpan<byte> p = image.PixelAt(x, y);
                for (int c = 0; c < 3; c++)
                {
                    Assert.AreEqual(p[c], rgb[(c * 12) + (y * 4) + x]);
                    Assert.AreEqual(p[2 - c], bgr[(c * 12) + (y * 4) + x]);
                }
            }
        }
    }

    [TestMethod]
    public void MeanStdAffineMatchesTheFormula()
    {
        RgbImage image = Gradient(3, 3);
        double[] mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        float[] t = ImagePreprocessor.ToChwFloat(image, 3, 3, ChannelAffine.FromMeanStd(mean, std)).Value!;
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < 9; i++)
            {
                double x = image.Pixels[(i * 3) + c];
                Assert.AreEqual((x / 255 - mean[c]) / std[c], t[(c * 9) + i], 1e-6);
            }
        }
    }

    [TestMethod]
    public void BilinearHalfPixelInterpolatesAndClampsEdges()
    {
        // A 2x1 image [0, 200] upscaled to 4x1: centres map to -0.25, 0.25, 0.75, 1.25 → clamp → 0, 50, 150, 200.
        var image = new RgbImage(2, 1, [0, 0, 0, 200, 200, 200]);
        RgbImage up = ImagePreprocessor.Resize(image, 4, 1, ResizeMethod.Bilinear).Value!;
        CollectionAssert.AreEqual(new byte[] { 0, 50, 150, 200 }, Enumerable.Range(0, 4).Select(x => up.PixelAt(x, 0)[0]).ToArray());
        // Same-size bilinear is the identity.
        RgbImage g = Gradient(7, 5);
        CollectionAssert.AreEqual(g.Pixels, ImagePreprocessor.Resize(g, 7, 5, ResizeMethod.Bilinear).Value!.Pixels);
    }

    [TestMethod]
    public void GrayIsBt601LumaWithinOneLevelOfNetpbm()
    {
        string path = TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "dog.bmp");
        RgbImage image = ImageDecoder.Load(path).Value!;
        Pnm pgm = Pnm.Parse(ExternalTool.Run("ppmtopgm", [], Pnm.Parse(ExternalTool.Run("bmptopnm", [path])).Encode()));
        byte[] ours = ImagePreprocessor.ToGrayBytes(image, image.Width, image.Height).Value!;
        (int max, double mean) = ImageAssert.Difference(pgm.Samples.Select(s => (byte)s).ToArray(), ours);
        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gray vs ppmtopgm: max {max}, mean {mean:F4}"));
        Assert.IsTrue(max <= 1, $"max |Δ| {max}");
        Assert.AreEqual(76, ImagePreprocessor.Luma(255, 0, 0)); // (299·255 + 500) / 1000 = 76.745 → 76
        Assert.AreEqual(150, ImagePreprocessor.Luma(0, 255, 0));
        Assert.AreEqual(29, ImagePreprocessor.Luma(0, 0, 255));
        Assert.AreEqual(255, ImagePreprocessor.Luma(255, 255, 255));
    }

    [TestMethod]
    public void InvalidOptionsAreDiagnostics()
    {
        RgbImage image = Gradient(2, 2);
        Assert.AreEqual("EMC0709", ImagePreprocessor.ToChwBytes(image, 0, 5).Diagnostics[0].Code);
        Assert.AreEqual("EMC0709", ImagePreprocessor.Resize(image, -1, 5).Diagnostics[0].Code);
        Assert.AreEqual("EMC0709", ImagePreprocessor.ToChwFloat(image, 2, 2, ChannelAffine.FromMeanStd([0.5], [0])).Diagnostics[0].Code);
        Assert.AreEqual("EMC0709", ImagePreprocessor.ToGrayFloat(image, 2, 2, ChannelAffine.FromMeanStd([0, 0, 0], [1, 1, 1])).Diagnostics[0].Code);
    }

    private static RgbImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 37) + (i / 3 * 11));
        }

        return new RgbImage(width, height, pixels);
    }
}
