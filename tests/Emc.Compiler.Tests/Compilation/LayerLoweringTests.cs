using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// The layer kinds and limit handling of the K210 lowering, each judged by the simulator against the float evaluator
/// (max error within a few output quantization steps) and by which kmodel layers were emitted.
/// </summary>
[TestClass]
public sealed class LayerLoweringTests
{
    private static readonly Random s_random = new(5);

    [TestMethod]
    public void ExclusiveConcatPlacesConvOutputsInSlicesWithoutALayer()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string c1 = Conv(b, a, 8, 8, 1);
        string c2 = Conv(b, a, 8, 16, 3);
        string y = b.Node("Concat", [c1, c2], ("axis", 1));
        var net = Check(b.Build(y), 3 * 8 * 8);
        Assert.DoesNotContain(KmodelLayerType.Concat, net.LayerTypes.ToList());
        Assert.DoesNotContain(KmodelLayerType.QuantizedConcat, net.LayerTypes.ToList());
    }

    [TestMethod]
    public void ConcatOfSharedInputsRequantizes()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string c1 = Conv(b, a, 8, 8, 1);
        string c2 = Conv(b, a, 8, 8, 3);
        string y = b.Node("Concat", [c1, c2, a], ("axis", 1)); // a also feeds the convs: not exclusive
        var net = Check(b.Build(y), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.QuantizedConcat);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.Requantize);
    }

    [TestMethod]
    public void AddOfConvOutputsIsQuantizedWithFusedRelu()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string y = b.Node("Relu", [b.Node("Add", [Conv(b, a, 8, 8, 1), Conv(b, a, 8, 8, 3)])]);
        var net = Check(b.Build(y), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.QuantizedAdd);
        Assert.DoesNotContain(KmodelLayerType.Add, net.LayerTypes.ToList());
        Assert.IsTrue(net.Simulated.All(s => s.All(v => v >= 0)), "the fused Relu clamps at real zero");
    }

    [TestMethod]
    [DataRow("asymmetric", "floor", true)]
    [DataRow("half_pixel", "round_prefer_floor", true)] // identical maps for ×2
    [DataRow("align_corners", "round_prefer_floor", true)] // 8→16: x·7/15 rounds to ⌊x/2⌋ at every x
    [DataRow("asymmetric", "ceil", false)]
    [DataRow("pytorch_half_pixel", "ceil", false)]
    public void NearestResizeIsExactOrDiagnosed(string coordinates, string nearest, bool supported)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string y = b.Node("Resize", [a, string.Empty, b.Constant([1f, 1f, 2f, 2f], 4)],
            ("mode", "nearest"), ("coordinate_transformation_mode", coordinates), ("nearest_mode", nearest));
        var model = b.Build(Conv(b, y, 8, 8, 3));
        if (supported)
        {
            var net = Check(model, 3 * 8 * 8);
            CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.QuantizedResizeNearestNeighbor);
            CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.K210Upload);
        }
        else
        {
            var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(4, 3 * 8 * 8, 1));
            var error = net.Result.Diagnostics.Single(d => d.IsError);
            Assert.AreEqual("EMC0505", error.Code);
            StringAssert.Contains(error.Message, "(Resize)");
            StringAssert.Contains(error.Message, $"coordinate mode '{coordinates}' reads input index");
        }
    }

    [TestMethod]
    public void SamePoolingWithNegativeBeginPadIsDiagnosed()
    {
        // MaxPool k1 s4 SAME_UPPER on 7×7: out ⌈7/4⌉ = 2, total pad (2−1)·4 + 1 − 7 = −2 (the ONNX formula, unclamped),
        // begin ⌊−2/2⌋ = −1: the windows start one pixel inside the input, which no kmodel pool layer can express.
        var b = new OnnxNetBuilder("x", 1, 3, 7, 7);
        string a = Conv(b, "x", 3, 8, 3);
        string y = b.Node("MaxPool", [a], ("kernel_shape", new[] { 1, 1 }), ("strides", new[] { 4, 4 }), ("auto_pad", "SAME_UPPER"));
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(4, 3 * 7 * 7, 1));
        var error = net.Result.Diagnostics.Single(d => d.IsError);
        StringAssert.StartsWith(error.Code, "EMC05");
        StringAssert.Contains(error.Message, "(MaxPool)");
        StringAssert.Contains(error.Message, "negative padding");
    }

    [TestMethod]
    public void ConvWithMoreThan1024OutputChannelsIsSplitExactly()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 4, 4);
        string y = Conv(b, "x", 3, 1100, 3);
        var net = Check(b.Build(y), 3 * 4 * 4);
        Assert.AreEqual(2, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), "1100 channels → two KPU convs");
    }

    [TestMethod]
    public void ConvNeedingMoreThan64WeightLoadsIsSplitIntoOneBuffer()
    {
        // 1×1 conv 1024→512 after 3×3 3→1024: 1024 bytes per output channel, 30 channels per load → 18 loads (fits);
        // 3×3 conv 1024→256: 9216 bytes per output, 3 per load → 86 loads > 64 → two convs (192 + 64 channels).
        var b = new OnnxNetBuilder("x", 1, 3, 4, 4);
        string a = Conv(b, "x", 3, 1024, 1);
        string y = Conv(b, a, 1024, 256, 3);
        string z = Conv(b, y, 256, 8, 1); // the split result feeds the KPU again
        var net = Check(b.Build(z), 3 * 4 * 4);
        Assert.AreEqual(4, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv));
    }

    [TestMethod]
    public void ConvOverflowingKpuRamIsTiledOverOutputChannels()
    {
        // Input 64×128×128 = 16384 units (128 wide: 2 units per row); 96 output channels need 24576 more → two tiles.
        var b = new OnnxNetBuilder("x", 1, 3, 128, 128);
        string a = Conv(b, "x", 3, 64, 1);
        string y = Conv(b, a, 64, 96, 1);
        var net = Check(b.Build(y), 3 * 128 * 128, samples: 2);
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv));
    }

    [TestMethod]
    public void LimitsThatCannotBeMetAreDiagnosedByName()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 4, 4);
        string a = Conv(b, "x", 3, 1100, 1);
        string y = Conv(b, a, 1100, 8, 1);
        var wide = new OnnxNetBuilder("x", 1, 3, 4, 1000);
        string w = Conv(wide, "x", 3, 4, 3);
        var tall = new OnnxNetBuilder("x", 1, 3, 520, 4);
        string t = Conv(tall, "x", 3, 4, 3);

        var errors = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(2, 48, 1)).Result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.IsTrue(errors.Any(d => d.Code == "EMC0502" && d.Message.Contains("1100 input channels (limit 1024", StringComparison.Ordinal)), string.Join("\n", errors));
        var wideErrors = CompiledNet.Compile(wide.Build(w), CompiledNet.RandomSamples(2, 12000, 1)).Result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.IsTrue(wideErrors.Any(d => d.Message.Contains("width ≤ 960", StringComparison.Ordinal) && d.Message.Contains("(Conv)", StringComparison.Ordinal)), string.Join("\n", wideErrors));
        var tallErrors = CompiledNet.Compile(tall.Build(t), CompiledNet.RandomSamples(2, 3 * 520 * 4, 1)).Result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.IsTrue(tallErrors.Any(d => d.Message.Contains("height ≤ 512", StringComparison.Ordinal)), string.Join("\n", tallErrors));
    }

    [TestMethod]
    public void KpuRamOverflowThatTilingCannotFixIsDiagnosed()
    {
        // 64 channels of 256×256 (4 units per row): the input alone fills 65536 units.
        var b = new OnnxNetBuilder("x", 1, 3, 256, 256);
        string a = Conv(b, "x", 3, 64, 1);
        string y = Conv(b, a, 64, 8, 1);
        var errors = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(1, 3 * 256 * 256, 1)).Result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.IsTrue(errors.Any(d => d.Code is "EMC0503" or "EMC0506" && d.Message.Contains("KPU RAM", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void FloatMapUpsampledForUInt8ReadersIsQuantizedBeforeTheResize()
    {
        // An image-pooling branch (DeepLabV3's ASPP): global average pool → 1×1 conv on the 1×1 map (float FULLY_CONNECTED)
        // → nearest ×8 → concat with a conv's map → conv. The small map is quantized and the bytes are resized, so the
        // concat stays uint8 (no float copy of the 8×8 maps).
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string pooled = Conv(b, b.Node("GlobalAveragePool", [a]), 8, 8, 1);
        string up = b.Node("Resize", [pooled, string.Empty, b.Constant([1f, 1f, 8f, 8f], 4)], ("mode", "nearest"));
        var net = Check(b.Build(Conv(b, b.Node("Concat", [a, up], ("axis", 1)), 16, 8, 3)), 3 * 8 * 8);
        var types = net.LayerTypes.ToList();
        CollectionAssert.Contains(types, KmodelLayerType.QuantizedResizeNearestNeighbor, string.Join(",", types));
        CollectionAssert.DoesNotContain(types, KmodelLayerType.ResizeNearestNeighbor, string.Join(",", types));
        CollectionAssert.DoesNotContain(types, KmodelLayerType.Concat, string.Join(",", types));
    }

    private static CompiledNet Check(Onnx.Protobuf.ModelProto model, int inputLength, int samples = 6)
    {
        // These nets exercise the lowering's KPU limits, not the device fit (EMC0510): the tiling case needs 7.5 MB of
        // main memory, more than a K210 has, so the documented override switches that check off.
        var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(samples, inputLength, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax, DeviceMemoryBytes = 0 });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        double error = net.MaxError();
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {error:G4} ({error / step:F2} output steps), SQNR {net.SqnrDb():F1} dB");

        // Two convs deep: ½ step per rounding plus weight rounding stays well inside 3 output steps.
        Assert.IsLessThanOrEqualTo(3 * step, error);
        return net;
    }

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int k) => b.RandomConv(x, ic, oc, k, s_random);
}
