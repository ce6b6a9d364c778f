using System.Diagnostics;
using Emc.Imaging.Tests.Support;
using Emc.Tests;

namespace Emc.Imaging.Tests;

/// <summary>Mutated real images must give a result or EMC07xx diagnostics: never an exception, never a hang.</summary>
[TestClass]
[TestCategory(TestCategories.Fuzz)]
public sealed class FuzzTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MutatedImagesNeverThrowOrHang()
    {
        var seeds = new List<(string Name, byte[] Data)>
        {
            ("cifar 0_1397.jpg", File.ReadAllBytes(TestData.Path("maix-emc-cifar10", "cifar10_dataset", "0_1397.jpg"))),
            ("cifar 0_1036.jpg", File.ReadAllBytes(Directory.GetFiles(TestData.Path("maix-emc-cifar10", "cifar10_dataset"), "0_*.jpg").Order().First())),
            ("plane.bmp", File.ReadAllBytes(TestData.Path("maix-emc-cifar10", "plane.bmp"))),
        };
        var rng = new Random(20240611);
        var noise = new byte[24 * 16 * 3];
        rng.NextBytes(noise);
        seeds.Add(("synthetic.png", PngWriter.WriteRgb(24, 16, noise)));
        if (ExternalTool.Find("cjpeg") is not null && ExternalTool.Find("djpeg") is not null)
        {
            byte[] ppm = ExternalTool.Run("djpeg", ["-ppm", TestData.Path("maix-emc-cifar10", "cifar10_dataset", "0_1397.jpg")]);
            seeds.Add(("progressive.jpg", ExternalTool.Run("cjpeg", ["-progressive", "-sample", "2x2"], ppm)));
            seeds.Add(("restart.jpg", ExternalTool.Run("cjpeg", ["-restart", "1", "-sample", "2x1"], ppm)));
        }

        foreach ((string name, byte[] data) in seeds)
        {
            Assert.IsTrue(ImageDecoder.Decode(data).Succeeded, name + " must decode before mutation");
        }

        const int iterations = 3000;
        int decoded = 0;
        var codes = new Dictionary<string, int>();
        var worst = TimeSpan.Zero;
        for (int i = 0; i < iterations; i++)
        {
            (string name, byte[] seed) = seeds[i % seeds.Count];
            byte[] mutated = Mutate(seed, rng);
            var clock = Stopwatch.StartNew();
            try
            {
                var result = ImageDecoder.Decode(mutated, name);
                if (result.Succeeded)
                {
                    decoded++;
                }
                else
                {
                    Assert.IsTrue(result.Diagnostics.All(d => d.Code.StartsWith("EMC07", StringComparison.Ordinal)), string.Join("; ", result.Diagnostics));
                    codes[result.Diagnostics[0].Code] = codes.GetValueOrDefault(result.Diagnostics[0].Code) + 1;
                }
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                string file = Path.Combine(Path.GetTempPath(), $"emc-fuzz-{i}.bin");
                File.WriteAllBytes(file, mutated);
                Assert.Fail($"iteration {i} ({name}) threw {e.GetType().Name}: {e.Message} — input saved to {file}\n{e.StackTrace}");
            }

            worst = clock.Elapsed > worst ? clock.Elapsed : worst;
        }

        TestContext.WriteLine($"{iterations} mutations: {decoded} decoded, diagnostics {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}; slowest {worst.TotalMilliseconds:F0} ms");
        Assert.IsTrue(worst < TimeSpan.FromSeconds(2), $"slowest decode took {worst}");
    }

    private static byte[] Mutate(byte[] seed, Random rng)
    {
        byte[] data = (byte[])seed.Clone();
        switch (rng.Next(6))
        {
            case 0: // a few random bytes anywhere
                for (int n = rng.Next(1, 9); n > 0; n--)
                {
                    data[rng.Next(data.Length)] = (byte)rng.Next(256);
                }

                return data;
            case 1: // header bytes (dimensions, tables, sampling factors)
                for (int n = rng.Next(1, 4); n > 0; n--)
                {
                    data[rng.Next(Math.Min(data.Length, 700))] = (byte)rng.Next(256);
                }

                return data;
            case 2: // bit flips
                for (int n = rng.Next(1, 17); n > 0; n--)
                {
                    data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                }

                return data;
            case 3: // truncation
                return data[..rng.Next(data.Length)];
            case 4: // marker-like bytes
                int at = rng.Next(data.Length - 1);
                data[at] = 0xFF;
                data[at + 1] = (byte)rng.Next(0xC0, 0x100);
                return data;
            default: // delete or duplicate a span
                int start = rng.Next(data.Length);
                int length = rng.Next(1, Math.Min(64, data.Length - start) + 1);
                return rng.Next(2) == 0
                    ? [.. data[..start], .. data[(start + length)..]]
                    : [.. data[..(start + length)], .. data[start..]];
        }
    }
}
