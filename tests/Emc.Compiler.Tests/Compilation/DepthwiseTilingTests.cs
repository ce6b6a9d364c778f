using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A MobileNetV2 block on a large map (DeepLabV3's expanded_conv_1: 1×1 to 48 channels at 129×129, ReLU6, 3×3
/// depthwise, 1×1 projection): the depthwise conv's input and output together exceed KPU RAM (was EMC0503). It is tiled
/// in channel groups with its input (issue 9 item 4): the expansion goes to main memory, each group uploads its
/// channels and sends its outputs over them. Judged against the float evaluator.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class DepthwiseTilingTests
{
    [TestMethod]
    [DataRow(129, 129, 1, false, DisplayName = "129x129, depthwise stride 1")]
    [DataRow(129, 129, 2, false, DisplayName = "129x129, depthwise stride 2 (odd: computed at stride 1, picked)")]
    [DataRow(160, 160, 2, false, DisplayName = "160x160, depthwise stride 2")]
    [DataRow(96, 200, 1, false, DisplayName = "96x200, depthwise stride 1")]
    [DataRow(129, 129, 2, true, DisplayName = "129x129, depthwise stride 2, per-channel activation ranges")]
    public void DepthwiseConvTooLargeForKpuRamIsTiledWithItsInput(int h, int w, int stride, bool perChannel)
    {
        const int inner = 48;
        var b = new OnnxNetBuilder("x", 1, 8, h, w);
        var random = new Random(h + w + stride);
        string expand = Relu6(b, b.RandomConv("x", 8, inner, 1, random));
        var dwWeights = Enumerable.Range(0, inner * 9).Select(_ => (float)((random.NextDouble() * 2) - 1) / 3).ToArray();
        var dwBias = Enumerable.Range(0, inner).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        string depthwise = Relu6(b, b.Conv(expand, dwWeights, dwBias, inner, inner, 3, stride, [1, 1, 1, 1], group: inner));
        string project = b.RandomConv(depthwise, inner, 16, 1, random);
        var net = CompiledNet.Compile(b.Build(project), CompiledNet.RandomSamples(2, 8 * h * w, 5), new CompileOptions
        {
            Calibration = CalibrationMethod.MinMax,
            ActivationRanges = perChannel ? ActivationRanges.PerChannel : ActivationRanges.PerTensor,
        });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var layers = net.File!.Layers;
        int uploads = layers.Count(l => l.Type == KmodelLayerType.K210Upload);
        int convs = layers.Count(l => l.Type == KmodelLayerType.K210Conv);
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: SQNR {net.SqnrDb():F1} dB, max error {net.MaxError():G4}");
        Assert.IsGreaterThanOrEqualTo(2, uploads, "each channel group of the depthwise conv uploads its input");
        Assert.IsGreaterThanOrEqualTo(4, convs, "expansion, ≥ 2 depthwise groups, projection");
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "split-kpu-conv").Applied);

        // Each group's output overwrites the input channels it has uploaded (ChannelGroupInPlace): one map in main memory, not two.
        Console.WriteLine($"main memory {net.Result.Report.MainMemoryUsage} bytes; one {inner}-channel map {inner * h * w}");
        Assert.IsLessThan(2L * inner * h * w, net.Result.Report.MainMemoryUsage);

        // The per-layer report names each group's upload and conv (JSON "tiling").
        using var json = System.Text.Json.JsonDocument.Parse(CompileReportFormat.ToJson(net.Result.Report));
        var tiling = json.RootElement.GetProperty("layers").EnumerateArray()
            .Where(l => l.TryGetProperty("tiling", out _)).Select(l => l.GetProperty("tiling").GetString()!).ToList();
        Assert.AreEqual(2 * uploads - 2, tiling.Count, string.Join(Environment.NewLine, tiling));
        Assert.IsTrue(tiling.All(t => t.StartsWith("depthwise channel group ", StringComparison.Ordinal)), string.Join(Environment.NewLine, tiling));
        Assert.IsGreaterThanOrEqualTo(30, net.SqnrDb());
    }

    [TestMethod]
    public void ChunkedDilatedDepthwiseConvSendsItsChunksToMainMemoryWhenKpuRamIsShort()
    {
        // DeepLabV3's expanded_conv_14..16: 480 channels at 33×33, a 3×3 depthwise with dilation 4 realised over nine
        // shifted windows in chunks of 30 channels. Input (15840 units), a chunk's stack (8910) and the whole output
        // (15840) cannot be live together (was EMC0506); the chunks' outputs then go to main memory only.
        const int inner = 480, size = 33;
        var b = new OnnxNetBuilder("x", 1, 16, size, size);
        var random = new Random(14);
        string expand = Relu6(b, b.RandomConv("x", 16, inner, 1, random));
        var dwWeights = Enumerable.Range(0, inner * 9).Select(_ => (float)((random.NextDouble() * 2) - 1) / 3).ToArray();
        var dwBias = Enumerable.Range(0, inner).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        string depthwise = Relu6(b, b.Node("Conv", [expand, b.Constant(dwWeights, inner, 1, 3, 3), b.Constant(dwBias, inner)],
            ("kernel_shape", new[] { 3, 3 }), ("pads", new[] { 4, 4, 4, 4 }), ("dilations", new[] { 4, 4 }), ("group", inner)));
        string project = b.RandomConv(depthwise, inner, 16, 1, random);
        var net = CompiledNet.Compile(b.Build(project), CompiledNet.RandomSamples(2, 16 * size * size, 5), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Console.WriteLine($"{net.File!.Layers.Count} layers, KPU peak {net.Result.Report!.KpuPeakUnits} units: SQNR {net.SqnrDb():F1} dB, max error {net.MaxError():G4}");
        Assert.IsTrue(net.Result.Report.Layers.Any(l => l.Tiling?.StartsWith("group chunk", StringComparison.Ordinal) == true));
        Assert.IsGreaterThanOrEqualTo(30, net.SqnrDb());
    }

    private static string Relu6(OnnxNetBuilder b, string x) => b.Node("Clip", [x, b.Constant([0f]), b.Constant([6f])]);
}
