using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A stride-1 conv whose output is smaller than its input map (a "valid" 2×2 kernel: 4×4 → 3×3, MTCNN's R/O-Nets) is a
/// crop of the KPU's same-size map. Regression: the crop was dropped, so a flatten read the whole 4×4 map (−3 dB).
/// Judged against the float evaluator.
/// </summary>
[TestClass]
public sealed class CroppedConvOutputTests
{
    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, false)]
    [DataRow(true, true)]
    [DataRow(false, true)]
    public void ValidTwoByTwoKernelIsCroppedBeforeAFlatten(bool transpose, bool prelu)
    {
        var b = new OnnxNetBuilder("x", 1, 4, 4, 4);
        var random = new Random(1);
        string c1 = b.RandomConv("x", 4, 8, 3, random);
        var w = Enumerable.Range(0, 8 * 8 * 4).Select(_ => (float)((random.NextDouble() * 2) - 1) / 8).ToArray();
        string c2 = b.Conv(c1, w, new float[8], 8, 8, 2, 1, [0, 0, 0, 0]);
        if (prelu)
        {
            c2 = b.Node("PRelu", [c2, b.Constant([0.25f, -0.4f, 0f, 1.3f, -1.1f, 0.05f, 0.1f, 0.2f], 1, 8, 1, 1)]);
        }

        string t = transpose ? b.Node("Transpose", [c2], ("perm", new[] { 0, 2, 3, 1 })) : c2;
        string f = b.Node("Flatten", [t]);
        var net = CompiledNet.Compile(b.Build(f), CompiledNet.RandomSamples(8, 64, 4), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4}, SQNR {net.SqnrDb():F1} dB");
        Assert.IsGreaterThan(30, net.SqnrDb());
    }
}
