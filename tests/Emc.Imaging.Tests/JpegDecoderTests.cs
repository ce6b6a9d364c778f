using System.Globalization;
using Emc.Imaging.Tests.Support;
using Emc.Tests;

namespace Emc.Imaging.Tests;

/// <summary>Our JPEG decode against libjpeg-turbo's djpeg (default settings: ISLOW, fancy upsampling).</summary>
[TestClass]
public sealed class JpegDecoderTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> AllTestDataJpegs()
    {
        string? root = TestData.RootOrNull;
        if (root is null)
        {
            return [["<testdata missing>"]];
        }

        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });
    }

    [TestMethod]
    [TestCategory(TestCategories.Conformance)]
    [DynamicData(nameof(AllTestDataJpegs))]
    public void TestDataJpegMatchesLibjpegTurbo(string relative)
    {
        string path = TestData.Path(relative.Split('/'));
        (int max, double mean) = CompareWithDjpeg(File.ReadAllBytes(path), relative);
        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{relative}: max |Δ| {max}, mean |Δ| {mean:F5}"));
        Assert.AreEqual(0, max, $"{relative}: max |Δ| {max}, mean {mean}");
    }

    /// <summary>Re-encodes a test image with cjpeg in the variants the test data lacks, then compares with djpeg.</summary>
    [TestMethod]
    [DataRow("-progressive")]
    [DataRow("-progressive", "-sample", "2x2")]
    [DataRow("-progressive", "-sample", "2x1")]
    [DataRow("-progressive", "-grayscale")]
    [DataRow("-sample", "2x1")]
    [DataRow("-sample", "1x2")]
    [DataRow("-sample", "1x1")]
    [DataRow("-restart", "1")]
    [DataRow("-restart", "3B", "-sample", "2x2")]
    [DataRow("-progressive", "-restart", "2")]
    [DataRow("-grayscale")]
    [DataRow("-grayscale", "-restart", "1")]
    [DataRow("-rgb")]
    [DataRow("-quality", "100")]
    [DataRow("-quality", "5", "-optimize")]
    [DataRow("-sample", "2x2,1x1,1x1", "-quality", "97")]
    public void CjpegVariantMatchesLibjpegTurbo(params string[] options)
    {
        foreach (string source in new[] { "maix-emc-mbnetv1/mbnetv1_dataset/tiger.jpg", "maix-emc-cifar10/cifar10_dataset/0_1397.jpg" })
        {
            byte[] ppm = ExternalTool.Run("djpeg", ["-ppm", TestData.Path(source.Split('/'))]);
            // Odd sizes exercise partial MCUs and edge replication in the upsamplers.
            byte[] cropped = source.Contains("tiger") ? ExternalTool.Run("pamcut", ["-left", "3", "-top", "5", "-width", "301", "-height", "203"], ppm) : ppm;
            byte[] jpeg = ExternalTool.Run("cjpeg", options, cropped);
            Assert.AreEqual(options.Contains("-progressive"), HasMarker(jpeg, 0xC2), "cjpeg wrote a progressive file exactly when asked");
            Assert.AreEqual(options.Contains("-restart"), HasMarker(jpeg, 0xDD), "cjpeg wrote DRI exactly when asked");
            string what = source + " " + string.Join(' ', options);
            (int max, double mean) = CompareWithDjpeg(jpeg, what);
            TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: max |Δ| {max}, mean |Δ| {mean:F5}"));
            Assert.AreEqual(0, max, $"{what}: max |Δ| {max}, mean {mean}");
        }
    }

    [TestMethod]
    public void UnsupportedVariantsGetTheJpegUnsupportedDiagnostic()
    {
        byte[] ppm = ExternalTool.Run("djpeg", ["-ppm", TestData.Path("maix-emc-cifar10", "cifar10_dataset", "0_1397.jpg")]);
        byte[] arithmetic = ExternalTool.Run("cjpeg", ["-arithmetic"], ppm);
        ImageAssert.Fails(arithmetic, "EMC0708", "arithmetic-coded");

        byte[] baseline = ExternalTool.Run("cjpeg", [], ppm);
        int sof = IndexOfMarker(baseline, 0xC0);
        byte[] twelveBit = (byte[])baseline.Clone();
        twelveBit[sof + 4] = 12;
        ImageAssert.Fails(twelveBit, "EMC0708", "12-bit");

        byte[] lossless = (byte[])baseline.Clone();
        lossless[sof + 1] = 0xC3;
        ImageAssert.Fails(lossless, "EMC0708", "lossless SOF3");
    }

    [TestMethod]
    public void TruncatedAndGarbledJpegsGiveDiagnostics()
    {
        byte[] jpeg = File.ReadAllBytes(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", "tiger.jpg"));
        ImageAssert.Fails(jpeg[..(jpeg.Length / 2)], "EMC0703", "half a file");
        ImageAssert.Fails(jpeg[..300], "EMC0703", "headers only");
        ImageAssert.Fails([0xFF, 0xD8, 0xFF], "EMC0703", "SOI only");
    }

    private static bool HasMarker(byte[] jpeg, byte marker) => IndexOfMarker(jpeg, marker) >= 0;

    /// <summary>Offset of a marker in the header part of the file (before the first SOS), or −1.</summary>
    private static int IndexOfMarker(byte[] jpeg, byte marker)
    {
        for (int pos = 2; pos + 4 <= jpeg.Length;)
        {
            if (jpeg[pos + 1] == marker)
            {
                return pos;
            }

            if (jpeg[pos + 1] == 0xDA)
            {
                return -1;
            }

            pos += 2 + ((jpeg[pos + 2] << 8) | jpeg[pos + 3]);
        }

        return -1;
    }

    private static (int Max, double Mean) CompareWithDjpeg(byte[] jpeg, string what)
    {
        Pnm reference = Pnm.Parse(ExternalTool.Run("djpeg", [], jpeg));
        RgbImage ours = ImageAssert.Decodes(jpeg, what);
        Assert.AreEqual((reference.Width, reference.Height), (ours.Width, ours.Height), what);
        return ImageAssert.Difference(reference.ToRgb8(), ours.Pixels);
    }
}
