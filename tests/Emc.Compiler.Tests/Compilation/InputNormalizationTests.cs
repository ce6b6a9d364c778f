using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// In-graph input normalization (Add / Sub / Mul / Div by per-channel constants before the first Conv, spec §10)
/// folded into the device input: the simulated kmodel is judged against the float evaluator of the same ONNX model,
/// which runs the normalization ops themselves.
/// </summary>
[TestClass]
public sealed class InputNormalizationTests
{
    private const int Length = 3 * 8 * 8;
    private static readonly Random s_random = new(11);

    [TestMethod]
    public void ScalarSubDivBeforePaddedConvFoldsExactly()
    {
        // (x − 0.5) / 0.25 over x ∈ [0, 1]: one map for all channels, so the padded 3×3 conv pads with real zero.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Div", [b.Node("Sub", ["x", b.Constant([0.5f])]), b.Constant([0.25f], 1)]);
        var net = Check(b.Build(Conv(b, Conv(b, n, 3, 8, 3), 8, 8, 1)));
        Assert.AreEqual(2, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv));
        Assert.AreEqual(KmodelLayerType.K210Conv, net.LayerTypes.First(), "the normalization leaves no layer before the first conv");
    }

    [TestMethod]
    public void PerChannelSubDivBeforeUnpaddedConvFoldsIntoWeights()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Sub", ["x", b.Constant([0.485f, 0.456f, 0.406f], 1, 3, 1, 1)]);
        n = b.Node("Div", [n, b.Constant([0.229f, 0.224f, 0.225f], 3, 1, 1)]);
        var net = Check(b.Build(Conv(b, Conv(b, n, 3, 8, 1), 8, 8, 3)));
        Assert.AreEqual(KmodelLayerType.K210Conv, net.LayerTypes.First());
    }

    [TestMethod]
    public void MulAddWithInputAsEitherOperandFolds()
    {
        // 2·x + (−1) maps [0, 1] to [−1, 1] (one map: padded conv is exact).
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Add", [b.Node("Mul", [b.Constant([2f], 1), "x"]), b.Constant([-1f])]);
        Check(b.Build(Conv(b, Conv(b, n, 3, 8, 3), 8, 8, 1)));

        // Per channel, constant first in Add, before a 1×1 conv.
        var p = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string m = p.Node("Mul", ["x", p.Constant([1.5f, 2f, 2.5f], 1, 3, 1, 1)]);
        m = p.Node("Add", [p.Constant([-0.5f, -1f, -1.25f], 1, 3, 1, 1), m]);
        Check(p.Build(Conv(p, Conv(p, m, 3, 8, 1), 8, 8, 3)));
    }

    [TestMethod]
    public void FractionalZeroPointBeforeUnpaddedConvFoldsIntoWeights()
    {
        // burn-mnist's (x − 0.1307)/0.3081: real zero at 33.3285 pixel steps, which arg_w cannot hold; a valid conv
        // never reads padding, so the map folds into its weights exactly (before: EMC0601).
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Div", [b.Node("Sub", ["x", b.Constant([0.1307f])]), b.Constant([0.3081f])]);
        Check(b.Build(Conv(b, Conv(b, n, 3, 8, 1), 8, 8, 3)));
    }

    [TestMethod]
    public void FractionalZeroPointBeforePaddedConvGoesThroughANormalizationLayer()
    {
        // No integer pad_value is real zero under (x − 0.1307)/0.3081: an identity layer applies the map first (item 6).
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Div", [b.Node("Sub", ["x", b.Constant([0.1307f])]), b.Constant([0.3081f])]);
        var net = Check(b.Build(Conv(b, Conv(b, n, 3, 8, 3), 8, 8, 1)));
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), "identity normalization layer + the two convs");
    }

    [TestMethod]
    public void PerChannelOffsetsBeforePaddedConvGoThroughANormalizationLayer()
    {
        // One pad_value cannot be real zero in three channels with different offsets: an identity layer applies the
        // per-channel map, and the padded conv reads one quantization (issue 16 item 6; was EMC0507).
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Div", [b.Node("Sub", ["x", b.Constant([0.485f, 0.456f, 0.406f], 3, 1, 1)]), b.Constant([0.229f, 0.224f, 0.225f], 3, 1, 1)]);
        var net = Check(b.Build(Conv(b, Conv(b, n, 3, 8, 3), 8, 8, 1)));
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv));
    }

    [TestMethod]
    public void PerChannelOffsetsBeforeAPaddedConvOnAMapOver65536PixelsRunAsRowBlocksAndBands()
    {
        // The normalization layer's 256×320 output runs as row blocks (3 → 6 channels of 128 rows) and the padded conv as
        // row bands over its main-memory copy (was EMC0507: the plane exceeded channel_byte_num).
        var b = new OnnxNetBuilder("x", 1, 3, 256, 320);
        string n = b.Node("Sub", ["x", b.Constant([0.485f, 0.456f, 0.406f], 3, 1, 1)]);
        var net = CompiledNet.Compile(b.Build(Conv(b, n, 3, 8, 3)), CompiledNet.RandomSamples(2, 3 * 256 * 320, 1), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var first = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().First().Registers;
        Assert.AreEqual((6, 128), (first.InChannels, first.InHeight));
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "conv-by-row-bands").Applied);
        AssertWithinThreeOutputSteps(net);
    }

    [TestMethod]
    public void PerChannelOffsetsBeforeAPaddedPooledConvOnAMapOver65536PixelsGoThroughTheIdentityLayer()
    {
        // A padded 3×3 conv with a fused 2×2 max pool (its 128×160 output fits one plane, so no bands) after per-channel
        // offsets on 256×320: the identity first layer applies the offsets as row blocks (was EMC0507).
        var b = new OnnxNetBuilder("x", 1, 3, 256, 320);
        string n = b.Node("Sub", ["x", b.Constant([0.485f, 0.456f, 0.406f], 3, 1, 1)]);
        string pooled = b.Node("MaxPool", [b.Node("Relu", [Conv(b, n, 3, 8, 3)])], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        var net = CompiledNet.Compile(b.Build(pooled), CompiledNet.RandomSamples(2, 3 * 256 * 320, 2), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var convs = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.HasCount(2, convs);
        Assert.AreEqual((6, 128), (convs[0].Registers.InChannels, convs[0].Registers.InHeight));
        AssertWithinThreeOutputSteps(net);
    }

    [TestMethod]
    public void ConstantMinusInputGoesThroughAnIdentityLayerAndATable()
    {
        // c − x cannot be the device input map (its scale is negative): the input lands in an identity KPU conv and
        // c − x becomes one REQUANTIZE table, judged against the float evaluator like the folded maps.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Sub", [b.Constant([2f]), "x"]);
        var net = Check(b.Build(Conv(b, n, 3, 8, 3)));
        CollectionAssert.AreEqual(
            new[] { KmodelLayerType.K210Conv, KmodelLayerType.Requantize, KmodelLayerType.K210Upload, KmodelLayerType.K210Conv },
            net.LayerTypes.Take(4).ToArray());
    }

    [TestMethod]
    public void ElementwiseChainOfTheInputIsOneTable()
    {
        // 2 / (x + 1): two element-wise nodes of one tensor fuse into one table.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Div", [b.Constant([2f]), b.Node("Add", ["x", b.Constant([1f])])]);
        var net = Check(b.Build(Conv(b, n, 3, 8, 3)));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.Requantize));
    }

    [TestMethod]
    public void OneDimensionalConstantRunsAlongWidthAndIsNotFolded()
    {
        // ONNX broadcasting aligns trailing axes: a [8] constant varies along W, not per channel.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Sub", ["x", b.Constant([0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f], 8)]);
        var errors = Errors(b.Build(Conv(b, n, 3, 8, 3)));
        Assert.IsTrue(errors.Any(d => d.Code == "EMC0501" && d.NodeName == "sub1_node" && d.Message.Contains("varies across elements", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void DivisionByZeroIsDiagnosed()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Div", ["x", b.Constant([0.5f, 0f, 0.5f], 1, 3, 1, 1)]);
        var errors = Errors(b.Build(Conv(b, n, 3, 8, 1)));
        Assert.AreEqual("EMC0507", errors.Single().Code, string.Join("\n", errors));
        StringAssert.Contains(errors[0].Message, "divides by zero");
    }

    private static List<Emc.Diagnostics.Diagnostic> Errors(Onnx.Protobuf.ModelProto model) =>
        CompiledNet.Compile(model, CompiledNet.RandomSamples(2, Length, 1)).Result.Diagnostics.Where(d => d.IsError).ToList();

    private static CompiledNet Check(Onnx.Protobuf.ModelProto model)
    {
        var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(6, Length, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        AssertWithinThreeOutputSteps(net);

        // The firmware still feeds the graph input's own map (CompiledNet compiles with --input-range 0,1).
        var input = net.Result.Interface!.Inputs.Single();
        Assert.AreEqual(1 / 255f, input.Scale, 1e-9f);
        Assert.AreEqual(0f, input.Bias);
        return net;
    }

    /// <summary>Same bound as LayerLoweringTests: two convs deep stay well inside 3 output steps.</summary>
    private static void AssertWithinThreeOutputSteps(CompiledNet net)
    {
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        double error = net.MaxError();
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {error:G4} ({error / step:F2} output steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, error);
    }

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int k) => b.RandomConv(x, ic, oc, k, s_random);
}
