using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.Docs;

/// <summary>
/// samples/models holds generated files: the ONNX models of <see cref="SampleModels"/> and the BMPs of
/// <see cref="SampleImages"/>. This test proves they are exactly what the generators make (and rewrites them when
/// EMC_REGENERATE_SAMPLES=1).
/// </summary>
[TestClass]
public sealed class SampleFilesTests
{
    public static IReadOnlyList<(string Name, Func<byte[]> Make)> Files { get; } =
    [
        ("models/shapes.onnx", () => SampleModels.TinyCnn(seed: 1)),
        ("models/colors.onnx", () => SampleModels.TinyCnn(seed: 2)),
        ("models/textures.onnx", () => SampleModels.TinyCnn(seed: 3)),
        .. Enumerable.Range(0, 8).Select(i => ($"models/calib/img{i}.bmp", (Func<byte[]>)(() => SampleImages.Bmp(16, 16, i)))),
    ];

    [TestMethod]
    public void CommittedSampleFilesAreTheGeneratorsOutput()
    {
        string root = Path.Combine(TestData.RepositoryRoot, "samples");
        bool regenerate = Environment.GetEnvironmentVariable("EMC_REGENERATE_SAMPLES") == "1";
        foreach (var (name, make) in Files)
        {
            string path = Path.Combine(root, name);
            byte[] expected = make();
            if (regenerate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, expected);
            }

            CollectionAssert.AreEqual(expected, File.ReadAllBytes(path), name);
        }
    }
}
