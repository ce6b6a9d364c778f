using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Convs on maps below the KPU's 4×4 minimum (YuNet's 3×5 and 1×2 levels, issue 16 item 5): 1×1 convs on the KPU over
/// a repeated (nearest-upsampled) map; other kernels as float FULLY_CONNECTED layers — any kernel, stride, dilation and
/// pads, one FC per group (depthwise: one per channel, reading and writing views of one buffer). Judged against the float evaluator, to the quantization of the KPU part.
/// </summary>
[TestClass]
public sealed class SmallMapConvTests
{
    private const int Channels = 8;

    [TestMethod]
    [DataRow(3, 5, 32, DisplayName = "3x5 (repeated 2x2)")]
    [DataRow(1, 2, 160, DisplayName = "1x2 (repeated 4x4)")]
    public void PointwiseConvsRunOnTheKpuOverARepeatedMap(int h, int w, int c)
    {
        // c enough that a float FC would need (C·P)² > 2^16 weights (below that the exact FC is kept).
        // Two 1×1 convs in a row on the small map: one resize + upload, both on the KPU, then a depthwise 3×3 (per-channel FCs).
        var b = new OnnxNetBuilder("x", 1, c, 4 * h, 4 * w);
        string big = b.RandomConv("x", c, c, 3, new Random(h + w));
        string small = b.Node("AveragePool", [big], ("kernel_shape", new[] { 4, 4 }), ("strides", new[] { 4, 4 }));
        string p1 = b.Node("Relu", [b.RandomConv(small, c, c, 1, new Random(2))]);
        string p2 = b.RandomConv(p1, c, c, 1, new Random(3));
        var random = new Random(4);
        var dw = Enumerable.Range(0, c * 9).Select(_ => (float)((random.NextDouble() * 2) - 1) / 3).ToArray();
        string y = b.Conv(p2, dw, new float[c], c, c, 3, 1, [1, 1, 1, 1], c);
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(8, c * 16 * h * w, 5), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), string.Join(",", net.LayerTypes));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.QuantizedResizeNearestNeighbor), string.Join(",", net.LayerTypes));
        Assert.AreEqual(c, net.LayerTypes.Count(t => t == KmodelLayerType.FullyConnected), string.Join(",", net.LayerTypes));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    [DataRow(10, 2, 1, 3, DisplayName = "1x3 on 10x2 (openWakeWord)")]
    [DataRow(10, 2, 3, 1, DisplayName = "3x1 on 10x2")]
    [DataRow(8, 2, 3, 3, DisplayName = "3x3 on 8x2")]
    public void ConvTooLargeAsFullyConnectedRunsDilatedOverARepeatedMap(int h, int w, int kh, int kw)
    {
        // 96→96 channels: the FC form would need (96·h·w)² weights, over the limit, so the map is repeated f×f
        // (nearest Resize), the kernel dilated by f, and every f-th pixel picked.
        const int c = 96;
        var b = new OnnxNetBuilder("x", 1, c, 4 * h, 4 * w);
        string big = b.RandomConv("x", c, c, 1, new Random(h + w));
        string small = b.Node("AveragePool", [big], ("kernel_shape", new[] { 4, 4 }), ("strides", new[] { 4, 4 }));
        var random = new Random(kh * 5 + kw);
        int per = c * kh * kw;
        var weights = Enumerable.Range(0, c * per).Select(_ => (float)((random.NextDouble() * 2) - 1) / per * 2).ToArray();
        string y = b.Node("Conv", [small, b.Constant(weights, c, c, kh, kw), b.Constant(new float[c], c)],
            ("kernel_shape", new[] { kh, kw }), ("pads", new[] { kh / 2, kw / 2, kh / 2, kw / 2 }));
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(4, c * 16 * h * w, 2), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(0, net.LayerTypes.Count(t => t == KmodelLayerType.FullyConnected), string.Join(",", net.LayerTypes));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t is KmodelLayerType.ResizeNearestNeighbor or KmodelLayerType.QuantizedResizeNearestNeighbor), string.Join(",", net.LayerTypes));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    public void AfterAFailedNodeASmallMapConvReportsNothingOfItsOwn()
    {
        // One cause, one error: the small map is no problem of the conv's, so only the op without a layer is reported.
        var b = new OnnxNetBuilder("x", 1, Channels, 12, 20);
        string broken = b.Node("Div", [b.RandomConv("x", Channels, Channels, 3, new Random(1)), b.RandomConv("x", Channels, Channels, 1, new Random(3))]);
        string small = b.Node("AveragePool", [broken], ("kernel_shape", new[] { 4, 4 }), ("strides", new[] { 4, 4 }));
        string y = b.RandomConv(small, Channels, Channels, 3, new Random(2));
        var result = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(2, Channels * 240, 1)).Result;
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.AreEqual(1, errors.Count, string.Join(Environment.NewLine, errors));
        Assert.AreEqual("Div", errors[0].OpType);
    }

    [TestMethod]
    [DataRow(3, 5, 3, 3, 1, 1, 1, 1, DisplayName = "3x3 pad 1 on 3x5")]
    [DataRow(3, 5, 3, 3, 2, 1, 1, 1, DisplayName = "3x3 stride 2 on 3x5")]
    [DataRow(1, 2, 3, 3, 1, 1, 1, 1, DisplayName = "3x3 pad 1 on 1x2")]
    [DataRow(3, 5, 1, 3, 1, 1, 1, 1, DisplayName = "1x3 on 3x5")]
    [DataRow(3, 5, 3, 3, 1, 2, 2, 1, DisplayName = "3x3 dilation 2 pad 2 on 3x5")]
    [DataRow(3, 5, 3, 3, 1, 1, 1, Channels, DisplayName = "depthwise 3x3 on 3x5")]
    [DataRow(1, 2, 3, 3, 1, 1, 1, Channels, DisplayName = "depthwise 3x3 on 1x2")]
    [DataRow(3, 5, 3, 3, 1, 1, 1, 2, DisplayName = "group 2 3x3 on 3x5")]
    public void ConvOnASmallMapIsExactFullyConnected(int h, int w, int kh, int kw, int stride, int dilation, int pad, int group)
    {
        // A KPU conv at 4h×4w, a CPU 4×4 average pool down to h×w, then the conv on the small map.
        var b = new OnnxNetBuilder("x", 1, Channels, 4 * h, 4 * w);
        string big = b.RandomConv("x", Channels, Channels, 3, new Random(h + w + kh + group));
        string small = b.Node("AveragePool", [big], ("kernel_shape", new[] { 4, 4 }), ("strides", new[] { 4, 4 }));
        var random = new Random(kh * 7 + stride + dilation + group);
        int per = Channels / group * kh * kw;
        var weights = Enumerable.Range(0, Channels * per).Select(_ => (float)((random.NextDouble() * 2) - 1) / per * 2).ToArray();
        var bias = Enumerable.Range(0, Channels).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        string y = b.Node("Conv", [small, b.Constant(weights, Channels, Channels / group, kh, kw), b.Constant(bias, Channels)],
            ("kernel_shape", new[] { kh, kw }), ("strides", new[] { stride, stride }), ("dilations", new[] { dilation, dilation }),
            ("pads", new[] { kh == 1 ? 0 : pad, kw == 1 ? 0 : pad, kh == 1 ? 0 : pad, kw == 1 ? 0 : pad }), ("group", group));
        string relu = b.Node("Relu", [y]);
        var net = CompiledNet.Compile(b.Build(relu), CompiledNet.RandomSamples(8, Channels * 16 * h * w, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        int fullyConnected = net.LayerTypes.Count(t => t == KmodelLayerType.FullyConnected);
        Assert.AreEqual(group, fullyConnected, string.Join(",", net.LayerTypes));

        // The FC part is float and exact; what remains is the uint8 rounding of the KPU conv and pool before it.
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(2 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }
}
