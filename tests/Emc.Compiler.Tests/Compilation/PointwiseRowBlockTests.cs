using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// 1×1 convs whose output planes exceed 65536 pixels run on the row blocks of their maps ([C·k, H/k, W], weights W ⊗ I_k):
/// one KPU layer each, no trip through main memory (was EMC0503). Judged against the float evaluator.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class PointwiseRowBlockTests
{
    [TestMethod]
    [DataRow(240, 320, 1, false, DisplayName = "3x240x320 → 1x1 → 8 channels (the first layer)")]
    [DataRow(240, 320, 2, false, DisplayName = "3x240x320 → 1x1 → ReLU → 1x1 (a row-block map read as row blocks)")]
    [DataRow(270, 250, 2, false, DisplayName = "3x270x250 (rows padded in KPU RAM)")]
    [DataRow(240, 320, 2, true, DisplayName = "3x240x320, two layers, per-channel activation ranges (they stay per tensor here)")]
    public void PointwiseConvsOnLargeMapsMatchTheFloatModel(int h, int w, int layers, bool perChannel)
    {
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        var random = new Random(h + (7 * w) + layers);
        string x = b.RandomConv("x", 3, 8, 1, random);
        if (layers == 2)
        {
            x = b.RandomConv(b.Node("Relu", [x]), 8, 4, 1, random);
        }

        var net = CompiledNet.Compile(b.Build(x), CompiledNet.RandomSamples(2, 3 * h * w, 9), new CompileOptions
        {
            Calibration = CalibrationMethod.MinMax,
            ActivationRanges = perChannel ? ActivationRanges.PerChannel : ActivationRanges.PerTensor,
        });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(layers, net.Result.Report!.Passes.Single(p => p.Name == "pointwise-conv-on-row-blocks").Applied);
        var convs = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.HasCount(layers, convs);
        Assert.IsFalse(convs.Any(c => c.Registers.OutWidth * c.Registers.OutHeight > 65536));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(layers * 1.5 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }
}
