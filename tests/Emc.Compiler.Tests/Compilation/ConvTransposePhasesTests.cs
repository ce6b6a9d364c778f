using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// ConvTranspose (issue 9 item 6) as one KPU conv over its s² output phases and a DepthToSpace (row CONCAT + float
/// TENSORFLOW_FLATTEN): compiled, simulated and judged against the float evaluator of the model as written (its
/// ConvTranspose is checked against ONNX Runtime in <c>OrtDifferentialTests</c>). The interleave adds no rounding: the
/// error is the output rounding plus the first conv's rounding carried through the transposed conv, at most 3 output steps.
/// </summary>
[TestClass]
public sealed class ConvTransposePhasesTests
{
    [TestMethod]
    [DataRow(2, 2, 0, 0, 1, DisplayName = "k2 s2 (U-Net, DBNet head): 1x1 phases")]
    [DataRow(4, 2, 1, 0, 1, DisplayName = "k4 s2 p1 (DCGAN, FCN): 3x3 phases")]
    [DataRow(3, 2, 1, 1, 1, DisplayName = "k3 s2 p1 output_padding 1 (PyTorch decoders)")]
    [DataRow(3, 2, 1, 0, 1, DisplayName = "k3 s2 p1: odd output, cropped")]
    [DataRow(4, 2, 1, 0, 6, DisplayName = "k4 s2 p1 depthwise (groups = channels)")]
    [DataRow(2, 2, 0, 0, 2, DisplayName = "k2 s2 groups 2")]
    [DataRow(3, 3, 0, 0, 1, DisplayName = "k3 s3")]
    [DataRow(3, 1, 1, 0, 1, DisplayName = "k3 s1 p1: a flipped 3x3 conv")]
    public void TransposedConvMatchesTheFloatModel(int k, int stride, int pad, int outputPadding, int groups)
    {
        var net = Compile(k, stride, pad, outputPadding, groups, 6, 10, 12, withFollowers: true);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(0, net.LayerTypes.Count(t => t == KmodelLayerType.QuantizedTensorflowFlatten), "only stock-SDK layers");
        if (stride > 1)
        {
            Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.TensorflowFlatten));
        }

        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    public void RandomShapesMatchTheFloatModel()
    {
        var random = new Random(9);
        for (int i = 0; i < 6; i++)
        {
            // Pads of at least (k − 2 + output_padding)/2 keep the output within 2 × the input (larger ones are diagnosed).
            int k = random.Next(2, 5), outputPadding = random.Next(0, 2), minPad = (k - 1 + outputPadding) / 2;
            int pad = random.Next(minPad, Math.Min(k - 1, minPad + 1) + 1);
            int h = random.Next(4, 12), w = random.Next(4, 16), c = random.Next(1, 9);
            var net = Compile(k, 2, pad, outputPadding, 1, c, h, w, withFollowers: random.Next(2) == 0);
            string what = $"k{k} p{pad} op{outputPadding} c{c} {h}x{w}";
            Assert.IsTrue(net.Result.Succeeded, what + ": " + string.Join(Environment.NewLine, net.Result.Diagnostics));
            double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
            Console.WriteLine($"{what}: max error {net.MaxError() / step:F2} steps, SQNR {net.SqnrDb():F1} dB");
            Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), what);
        }
    }

    [TestMethod]
    [TestCategory(TestCategories.Slow)]
    public void ALargeMapIsInterleavedInChunksOfWholeRows()
    {
        // A DBNet head's first ConvTranspose (24 channels, 56×80 → 112×160, a KPU conv after it): 5376 rows to gather
        // (two concats of at most 4096 runs in one piece) and a 1.7 MB float map; in chunks of 256 KiB it is 7 gathers
        // and flattens, and main memory holds the uint8 maps and one chunk.
        var net = Compile(2, 2, 0, 0, 1, 24, 56, 80, withFollowers: true, outChannels: 24, convAfter: true);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(7, net.LayerTypes.Count(t => t == KmodelLayerType.TensorflowFlatten));
        // The phases and the result in uint8 (24·112·160 bytes each), one gathered chunk and two float chunks; in one piece
        // the two float maps alone would take 2 × 1720320 bytes.
        long map = 24 * 112 * 160, chunk = 65536;
        Assert.IsLessThanOrEqualTo((2 * map) + chunk + (2 * 4 * chunk), net.Result.Report!.MainMemoryUsage, "no full-size float copy of the map");
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"max error {net.MaxError() / step:F2} steps, SQNR {net.SqnrDb():F1} dB, main memory {net.Result.Report.MainMemoryUsage}");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError());
    }

    [TestMethod]
    public void TwoKernelTwoConvTransposesInARowAreInterleavedOnce()
    {
        // DBNet's head: ConvTranspose k2 → BN → ReLU → ConvTranspose k2 → (bias) Add → Sigmoid. The second one's 1×1 phase
        // conv runs on the first one's phases, and one DepthToSpace(4) places the pixels: the middle map is never built.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 12);
        var random = new Random(5);
        string y = b.Node("Relu", [b.RandomConv("x", 3, 8, 3, random)]);
        y = b.Node("ConvTranspose", [y, b.Constant(Weights(random, 8 * 8 * 4, 0.3f), 8, 8, 2, 2)], ("strides", new[] { 2, 2 }));
        float[] Channel(double lo, double hi) => Enumerable.Range(0, 8).Select(_ => (float)(lo + (random.NextDouble() * (hi - lo)))).ToArray();
        y = b.Node("BatchNormalization", [y, b.Constant(Channel(0.5, 1.5), 8), b.Constant(Channel(-0.2, 0.2), 8), b.Constant(Channel(-0.1, 0.1), 8), b.Constant(Channel(0.5, 2), 8)]);
        y = b.Node("Relu", [y]);
        y = b.Node("ConvTranspose", [y, b.Constant(Weights(random, 8 * 2 * 4, 1f), 8, 2, 2, 2)], ("strides", new[] { 2, 2 }));
        y = b.Node("Sigmoid", [b.Node("Add", [y, b.Constant([0.3f, -0.2f], 1, 2, 1, 1)])]);
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(3, 3 * 8 * 12, 2), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var layers = net.LayerTypes.ToList();
        Console.WriteLine($"layers {string.Join(",", layers)}: max error {net.MaxError():G4}, SQNR {net.SqnrDb():F1} dB");
        Assert.AreEqual(1, layers.Count(t => t == KmodelLayerType.TensorflowFlatten), string.Join(",", layers));
        Assert.AreEqual(0, layers.Count(t => t == KmodelLayerType.Quantize), "the middle map is not interleaved");
        Assert.IsLessThanOrEqualTo(3.0 / 255, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    public void WillItCompileSeesTheRewrite()
    {
        // emc inspect's check lowers without compiling; it runs the same rewrites, so a ConvTranspose is not reported.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        var random = new Random(4);
        string y = b.RandomConv("x", 3, 4, 3, random);
        string t = b.Node("ConvTranspose", [y, b.Constant(Weights(random, 4 * 4 * 4 * 4), 4, 4, 4, 4)], ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }));
        var (graph, diagnostics) = CompileCheck.Run(b.Build(t), null);
        Assert.IsFalse(diagnostics.Any(d => d.IsError), string.Join(Environment.NewLine, diagnostics));
        CollectionAssert.AreEqual(new[] { "Conv", "Conv", "DepthToSpace" }, graph!.Nodes.Select(n => n.OpType).ToArray(), "lowered as the phase conv and its interleave");
    }

    [TestMethod]
    public void UnequalStridesAreDiagnosedNamingTheNode()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        var random = new Random(1);
        string y = b.RandomConv("x", 3, 4, 3, random);
        string t = b.Node("ConvTranspose", [y, b.Constant(Weights(random, 4 * 4 * 2 * 2), 4, 4, 2, 2)], ("strides", new[] { 2, 1 }));
        var result = CompiledNet.Compile(b.Build(t), CompiledNet.RandomSamples(1, 3 * 8 * 8, 1)).Result;
        Assert.IsFalse(result.Succeeded);
        var d = result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual("EMC0502", d.Code, d.Message);
        StringAssert.Contains(d.Message, t + "_node");
        StringAssert.Contains(d.Message, "strides (2, 1) differ");
    }

    [TestMethod]
    public void AnOutputLargerThanStrideTimesTheInputIsDiagnosed()
    {
        // k3 s2 p0: 2H + 1 rows, H + 1 per phase, more than the KPU computes from an H-row map.
        var net = Compile(3, 2, 0, 0, 1, 4, 8, 8, withFollowers: false);
        var d = net.Result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual("EMC0502", d.Code, d.Message);
        StringAssert.Contains(d.Message, "the output 17×17 is larger than stride × input (16×16)");
    }

    /// <summary>x → 3×3 conv + ReLU (the first layer must be a KPU conv) → ConvTranspose [→ BatchNormalization → ReLU].</summary>
    private static CompiledNet Compile(int k, int stride, int pad, int outputPadding, int groups, int c, int h, int w, bool withFollowers, int outChannels = 6, bool convAfter = false)
    {
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        var random = new Random((k * 100) + (stride * 10) + pad + c);
        string y = b.Node("Relu", [b.RandomConv("x", 3, c, 3, random)]);
        int outC = groups == c ? c : outChannels;
        var weights = Weights(random, c * (outC / groups) * k * k, 2f / (c / groups * k * k / (stride * stride)));
        var bias = Enumerable.Range(0, outC).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        string t = b.Node("ConvTranspose", [y, b.Constant(weights, c, outC / groups, k, k), b.Constant(bias, outC)],
            ("strides", new[] { stride, stride }), ("pads", new[] { pad, pad, pad, pad }), ("output_padding", new[] { outputPadding, outputPadding }), ("group", groups));
        if (withFollowers)
        {
            float[] Channel(double lo, double hi) => Enumerable.Range(0, outC).Select(_ => (float)(lo + (random.NextDouble() * (hi - lo)))).ToArray();
            t = b.Node("BatchNormalization", [t, b.Constant(Channel(0.5, 1.5), outC), b.Constant(Channel(-0.2, 0.2), outC), b.Constant(Channel(-0.1, 0.1), outC),
                b.Constant(Channel(0.5, 2), outC)]);
            t = b.Node("Relu", [t]);
        }

        if (convAfter)
        {
            t = b.RandomConv(t, outC, 2, 1, random);
        }

        return CompiledNet.Compile(b.Build(t), CompiledNet.RandomSamples(3, 3 * h * w, k + c), new CompileOptions { Calibration = CalibrationMethod.MinMax });
    }

    private static float[] Weights(Random random, int count, float scale = 0.5f) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();
}
