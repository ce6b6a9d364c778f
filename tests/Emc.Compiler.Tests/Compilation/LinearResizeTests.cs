using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Rewrites;
using Emc.Diagnostics;
using Emc.Kmodel;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Linear Resize / Upsample ×f (issue 9 item 5): edge pixels, a nearest ×f and a fixed depthwise kernel. The rewrite is
/// judged against the float evaluator's linear resize (itself checked against ONNX Runtime in OrtDifferentialTests),
/// the compiled network against the float evaluator on the simulator, to the quantization the network gets anyway.
/// </summary>
[TestClass]
public sealed class LinearResizeTests
{
    [TestMethod]
    [DataRow("half_pixel", 2, 2, 5, 7, 3, 13L)]
    [DataRow("half_pixel", 4, 4, 6, 4, 2, 13L)]
    [DataRow("half_pixel", 3, 3, 4, 5, 2, 13L)]
    [DataRow("half_pixel", 2, 4, 3, 6, 1, 19L)]
    [DataRow("pytorch_half_pixel", 2, 2, 4, 9, 3, 11L)]
    [DataRow("pytorch_half_pixel", 4, 1, 5, 5, 2, 13L)]
    [DataRow("asymmetric", 2, 2, 6, 5, 3, 13L)]
    [DataRow("asymmetric", 4, 4, 3, 7, 2, 11L)]
    [DataRow("asymmetric", 3, 2, 5, 4, 2, 10L)]
    [DataRow("align_corners", 2, 2, 1, 1, 4, 13L)]
    [DataRow("half_pixel", 4, 4, 1, 6, 2, 13L)]
    public void RewriteKeepsTheFloatValuesOfLinearResize(string mode, int fy, int fx, int h, int w, int c, long opset)
    {
        var b = new OnnxNetBuilder("x", 1, c, h, w) { Opset = opset };
        string scales = b.Constant([1f, 1f, fy, fx], 4);
        string y = opset >= 11
            ? b.Node("Resize", ["x", "", scales], ("mode", "linear"), ("coordinate_transformation_mode", mode))
            : b.Node("Resize", ["x", scales], ("mode", "linear"));
        AssertRewriteExact(b.Build(y), h * fy, w * fx);
    }

    [TestMethod]
    [DataRow(9, DisplayName = "Upsample-9 (scales input)")]
    [DataRow(7, DisplayName = "Upsample-7 (scales attribute)")]
    public void RewriteKeepsTheFloatValuesOfLinearUpsample(int opset)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 5, 6) { Opset = opset };
        string y = opset >= 9
            ? b.Node("Upsample", ["x", b.Constant([1f, 1f, 2f, 4f], 4)], ("mode", "linear"))
            : b.Node("Upsample", ["x"], ("mode", "linear"), ("scales", new[] { 1f, 1f, 2f, 4f }));
        AssertRewriteExact(b.Build(y), 10, 24);
    }

    [TestMethod]
    public void ManyChannelsPadTheirWidthInGroupsOfViews()
    {
        // 64 channels × 24 rows: the width's edge Gather would copy 2 runs a row (3 at most), over one concat's 4096.
        var b = new OnnxNetBuilder("x", 1, 64, 24, 24);
        string y = b.Node("Resize", ["x", "", b.Constant([1f, 1f, 2f, 2f], 4)], ("mode", "linear"));
        var graph = AssertRewriteExact(b.Build(y), 48, 48);
        Assert.AreEqual(2, graph.Nodes.Count(n => n.OpType == "Gather" && n.Name.Contains("_edge_w", StringComparison.Ordinal) && !n.Name.EndsWith("_channels", StringComparison.Ordinal)));

        // Compiled after a conv: the groups are copies of one quantized map, so they join without requantizing.
        var c = new OnnxNetBuilder("x", 1, 3, 24, 24);
        string first = c.Node("Relu", [c.RandomConv("x", 3, 64, 3, new Random(5))]);
        string up = c.Node("Resize", [first, "", c.Constant([1f, 1f, 2f, 2f], 4)], ("mode", "linear"));
        var net = CompiledNet.Compile(c.Build(up), CompiledNet.RandomSamples(4, 3 * 24 * 24, 6), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.IsFalse(net.LayerTypes.Contains(KmodelLayerType.Requantize), string.Join(",", net.LayerTypes));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(2 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    [DataRow("half_pixel", 2, 8, 6, 16)]
    [DataRow("half_pixel", 4, 6, 5, 8)]
    [DataRow("asymmetric", 2, 7, 9, 5)]
    [DataRow("asymmetric", 4, 5, 4, 12)]
    [DataRow("pytorch_half_pixel", 3, 6, 6, 6)]
    public void ConvBilinearConvCompilesAndMatchesTheFloatModel(string mode, int f, int h, int w, int c)
    {
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        string first = b.Node("Relu", [b.RandomConv("x", 3, c, 3, new Random(f + h))]);
        string up = b.Node("Resize", [first, "", b.Constant([1f, 1f, f, f], 4)], ("mode", "linear"), ("coordinate_transformation_mode", mode));
        string y = b.RandomConv(up, c, 4, 3, new Random(w + c));
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(8, 3 * h * w, f + c), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.QuantizedResizeNearestNeighbor), string.Join(",", net.LayerTypes));
        Assert.IsFalse(net.Result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning), string.Join(Environment.NewLine, net.Result.Diagnostics));

        // Three uint8 roundings in a row (conv, depthwise kernel, conv); the bound of the other two-conv tests plus one.
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"{mode} x{f} {h}x{w}x{c}: layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    public void OnePixelMapUpsampledLinearlyIsACopy()
    {
        // DeepLabV3's image pooling branch (tf2onnx, opset 9): global average → linear Upsample 1×1 → 8×8 → concat.
        // Every position clamps to the one input pixel, so the copy is a nearest resize, with no conv.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8) { Opset = 9 };
        string features = b.Node("Relu", [b.RandomConv("x", 3, 8, 3, new Random(3))]);
        string pooled = b.Node("GlobalAveragePool", [features]);
        string up = b.Node("Upsample", [pooled, b.Constant([1f, 1f, 8f, 8f], 4)], ("mode", "linear"));
        string joined = b.Node("Concat", [features, up], ("axis", 1));
        string y = b.RandomConv(joined, 16, 4, 1, new Random(4));
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(6, 3 * 64, 2), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t is KmodelLayerType.QuantizedResizeNearestNeighbor or KmodelLayerType.ResizeNearestNeighbor), string.Join(",", net.LayerTypes));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    [TestMethod]
    public void RandomConvBilinearConvNetworksMatchTheFloatModel()
    {
        // Seeded random shapes, channels, modes and factors (one axis may stay), through Resize or Upsample.
        var random = new Random(905);
        string[] modes = ["half_pixel", "pytorch_half_pixel", "asymmetric"];
        for (int i = 0; i < 6; i++)
        {
            string mode = modes[random.Next(modes.Length)];
            int fy = random.Next(2, 5), fx = i == 3 ? 1 : random.Next(2, 5), h = random.Next(4, 11), w = random.Next(4, 11), c = random.Next(1, 40);
            bool upsample = i % 3 == 2;
            var b = new OnnxNetBuilder("x", 1, 2, h, w) { Opset = upsample ? 9 : 13 };
            string first = b.Node("Relu", [b.RandomConv("x", 2, c, 3, new Random(i))]);
            string scales = b.Constant([1f, 1f, fy, fx], 4);
            string up = upsample
                ? b.Node("Upsample", [first, scales], ("mode", "linear"))
                : b.Node("Resize", [first, "", scales], ("mode", "linear"), ("coordinate_transformation_mode", mode));
            string y = b.RandomConv(up, c, 3, 3, new Random(i + 10));
            var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(6, 2 * h * w, i), new CompileOptions { Calibration = CalibrationMethod.MinMax });
            string name = $"#{i} {(upsample ? "Upsample asymmetric" : mode)} x({fy},{fx}) {h}x{w}x{c}";
            Assert.IsTrue(net.Result.Succeeded, name + ": " + string.Join(Environment.NewLine, net.Result.Diagnostics));
            double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
            Console.WriteLine($"{name}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
            Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"{name}: SQNR {net.SqnrDb():F1} dB");
        }
    }

    [TestMethod]
    [DataRow("align_corners", 2f, "coordinate mode 'align_corners'")]
    [DataRow("half_pixel", 2.5f, "only integer factors 2 to 4")]
    [DataRow("asymmetric", 8f, "only integer factors 2 to 4")]
    public void UnrealisableLinearResizeIsDiagnosedNamingItsLimit(string mode, float scale, string limit)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string first = b.RandomConv("x", 3, 4, 3, new Random(1));
        string up = b.Node("Resize", [first, "", b.Constant([1f, 1f, scale, scale], 4)], ("mode", "linear"), ("coordinate_transformation_mode", mode));
        var result = CompiledNet.Compile(b.Build(b.RandomConv(up, 4, 4, 3, new Random(2))), CompiledNet.RandomSamples(2, 3 * 64, 1)).Result;
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.AreEqual(1, errors.Count, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual("EMC0505", errors[0].Code);
        Assert.AreEqual("Resize", errors[0].OpType);
        StringAssert.Contains(errors[0].Message, limit);
        Assert.AreEqual(up + "_node", errors[0].NodeName);
    }

    private static Ir.Graph AssertRewriteExact(ModelProto model, int outH, int outW)
    {
        var original = OnnxImporter.Import(model);
        Assert.IsTrue(original.Succeeded, string.Join(Environment.NewLine, original.Diagnostics));
        var rewritten = OnnxImporter.Import(model).Value!;
        Assert.AreEqual(1, LinearResizeAsNearestAndDepthwise.Run(rewritten, new DiagnosticBag()));
        Assert.IsFalse(rewritten.Nodes.Any(n => n.Parameters is Ops.LinearResizeParameters));
        var outShape = rewritten.Outputs[0].Shape!;
        Assert.AreEqual((outH, outW), (outShape[2], outShape[3]));

        var shape = original.Value!.Inputs[0].Shape!;
        var random = new Random((int)shape.ElementCount);
        var x = Tensor.Create(shape, Enumerable.Range(0, (int)shape.ElementCount).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray());
        float[] expected = new ReferenceEvaluator(original.Value!).Run(x)[0].ToFloatArray();
        float[] actual = new ReferenceEvaluator(rewritten).Run(x)[0].ToFloatArray();
        Assert.HasCount(expected.Length, actual);
        double max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsLessThanOrEqualTo(1e-5, max, $"rewritten graph differs by {max}");
        return rewritten;
    }
}
