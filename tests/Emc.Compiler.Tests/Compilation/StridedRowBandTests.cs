using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// 3×3 stride-2 convs whose one KPU layer would write more than 65536 pixels per plane (a regular conv's pooled output,
/// a depthwise conv's stride-1 map): row bands from even rows, pooled by the KPU or picked by the CPU
/// (strided-conv-by-row-bands; was EMC0503). Judged against the float evaluator, and byte for byte against the one layer
/// the bands replace where that layer exists.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class StridedRowBandTests
{
    [TestMethod]
    [DataRow(3, 480, 640, false, DisplayName = "3x480x640 stem 3→16 (Ultra-Light-Fast RFB-640), pooled 240x320")]
    [DataRow(8, 240, 320, true, DisplayName = "8x240x320 depthwise, stride-1 map 240x320")]
    public void StrideTwoConvOnALargeMapMatchesTheFloatModel(int c, int h, int w, bool depthwise)
    {
        var b = new OnnxNetBuilder("x", 1, c, h, w);
        var random = new Random(h + w);
        string conv = depthwise
            ? b.Conv("x", Weights(random, c * 9, 9), Bias(random, c), c, c, 3, 2, [1, 1, 1, 1], group: c)
            : b.Conv("x", Weights(random, 16 * c * 9, c * 9), Bias(random, 16), 16, c, 3, 2, [1, 1, 1, 1]);
        var net = CompiledNet.Compile(b.Build(b.Node("Relu", [conv])), CompiledNet.RandomSamples(2, c * h * w, 5), new CompileOptions { Calibration = CalibrationMethod.MinMax });

        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "strided-conv-by-row-bands").Applied);
        var convs = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.IsFalse(convs.Any(kc => kc.Registers.OutWidth * kc.Registers.OutHeight > 65536));
        Assert.AreEqual(depthwise, net.LayerTypes.Contains(KmodelLayerType.QuantizedMaxPool2D), "a depthwise band is picked by the CPU");
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(2 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    /// <summary>Bands forced on a map one layer can still hold (a lower plane limit): the same output bytes.</summary>
    [TestMethod]
    [DataRow(false, true, 0, DisplayName = "stem reading the device input (pool type 5)")]
    [DataRow(false, false, 0, DisplayName = "regular conv (pool type 5)")]
    [DataRow(true, false, 0, DisplayName = "depthwise (CPU pick)")]
    [DataRow(false, true, 3, DisplayName = "stem, then a banded 3x3 conv that reads its bands (no join between)")]
    [DataRow(true, false, 3, DisplayName = "depthwise, then a banded 3x3 conv that reads its bands (no join between)")]
    [DataRow(true, false, 1, DisplayName = "depthwise, then a 1x1 conv that pools each band in KPU RAM (no pick)")]
    public void BandsGiveTheBytesOfTheOneLayer(bool depthwise, bool stem, int next)
    {
        bool chain = next == 3, pooledByReader = next == 1;
        const int h = 128, w = 160;
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        var random = new Random((depthwise ? 10 : 0) + (stem ? 20 : 0) + next);
        string first = stem ? "x" : b.Node("Relu", [b.Conv("x", Weights(random, 8 * 3, 3), Bias(random, 8), 8, 3, 1, 1, [0, 0, 0, 0])]);
        int c = stem ? 3 : 8;
        string second = b.Node("Relu", [depthwise
            ? b.Conv(first, Weights(random, c * 9, 9), Bias(random, c), c, c, 3, 2, [1, 1, 1, 1], group: c)
            : b.Conv(first, Weights(random, 8 * c * 9, c * 9), Bias(random, 8), 8, c, 3, 2, [1, 1, 1, 1])]);
        int oc = depthwise ? c : 8;
        var model = b.Build(next == 0 ? second : b.Conv(second, Weights(random, 8 * oc * next * next, oc * next * next), Bias(random, 8), 8, oc, next, 1, next == 3 ? [1, 1, 1, 1] : [0, 0, 0, 0]));
        var samples = CompiledNet.RandomSamples(2, 3 * h * w, 9);
        var options = new CompileOptions { Calibration = CalibrationMethod.MinMax };
        var one = CompiledNet.Compile(model, samples, options);
        // 64×80 outputs (a 128×160 stride-1 map) against at most 4096 pixels per KPU output plane.
        var banded = CompiledNet.Compile(model, samples, options with { RowBandPlane = 4096 });

        Assert.IsTrue(one.Result.Succeeded, string.Join(Environment.NewLine, one.Result.Diagnostics));
        Assert.IsTrue(banded.Result.Succeeded, string.Join(Environment.NewLine, banded.Result.Diagnostics));
        Assert.AreEqual(0, one.Result.Report!.Passes.Single(p => p.Name == "strided-conv-by-row-bands").Applied);
        Assert.AreEqual(1, banded.Result.Report!.Passes.Single(p => p.Name == "strided-conv-by-row-bands").Applied);
        Assert.AreEqual(chain ? 1 : 0, banded.Result.Report.Passes.Single(p => p.Name == "conv-by-row-bands").Applied);
        // The first layer (the identity layer or the 1×1 conv) is not banded.
        Assert.IsFalse(banded.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().Skip(1).Any(kc => kc.Registers.OutWidth * kc.Registers.OutHeight > 4096));
        Assert.AreEqual(depthwise && !pooledByReader, banded.LayerTypes.Contains(KmodelLayerType.QuantizedMaxPool2D), "a depthwise band is picked by the CPU unless a 1×1 conv pools it");
        int joins = banded.Result.Report.Layers.Count(l => l.Tiling?.EndsWith("joined per channel", StringComparison.Ordinal) == true);
        Assert.AreEqual(1, joins); // the last banded conv's output only
        Console.WriteLine($"one layer: {string.Join(",", one.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}; banded: {string.Join(",", banded.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}");
        for (int s = 0; s < samples.Count; s++)
        {
            CollectionAssert.AreEqual(one.Simulated[s], banded.Simulated[s], $"sample {s}");
        }
    }

    private static float[] Weights(Random random, int count, int fanIn) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) / MathF.Sqrt(fanIn)).ToArray();

    private static float[] Bias(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
}
