using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// NHWC / NWHC graph inputs (tf2onnx, Keras, mtcnn): the layout node is folded into the planar device input, the
/// calibration data (.npy in the model's order) is rearranged to device bytes, and the simulated kmodel fed CHW bytes
/// matches the float evaluator fed the model's own layout.
/// </summary>
[TestClass]
public sealed class InputLayoutTests
{
    private const int C = 3, H = 8, W = 8;

    private static readonly Random s_random = new(13);

    [TestMethod]
    public void NhwcInputTransposeIsFoldedIntoTheDeviceInput()
    {
        var b = new OnnxNetBuilder("x", 1, H, W, C);
        string t = b.Node("Transpose", ["x"], ("perm", new[] { 0, 3, 1, 2 }));
        var net = Check(b.Build(Conv(b, t, C, 8)), Nhwc);
        Assert.AreEqual(KmodelLayerType.K210Conv, net.LayerTypes.First());
        Assert.DoesNotContain(KmodelLayerType.QuantizedTensorflowFlatten, net.LayerTypes.ToList());
    }

    [TestMethod]
    public void NwhcInputTransposeIsFoldedIntoTheDeviceInput()
    {
        var b = new OnnxNetBuilder("x", 1, W, H + 2, C); // W ≠ H so a wrong axis order cannot pass
        string t = b.Node("Transpose", ["x"], ("perm", new[] { 0, 3, 2, 1 }));
        var net = Check(b.Build(Conv(b, t, C, 8)), q => Nwhc(q, H + 2), H + 2);
        Assert.AreEqual(KmodelLayerType.K210Conv, net.LayerTypes.First());
    }

    [TestMethod]
    public void NhwcInputThenNormalizationFoldsBoth()
    {
        var b = new OnnxNetBuilder("x", 1, H, W, C);
        string t = b.Node("Transpose", ["x"], ("perm", new[] { 0, 3, 1, 2 }));
        string n = b.Node("Div", [b.Node("Sub", [t, b.Constant([0.5f, 0.4f, 0.3f], 1, 3, 1, 1)]), b.Constant([0.25f], 1)]);
        var net = Check(b.Build(Conv(b, n, C, 8, k: 1)), Nhwc); // 1×1: per-channel maps fold exactly (no padding)
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "fold-input-normalization").Applied);
    }

    [TestMethod]
    public void SingleChannelNhwcReshapeIsARelabel()
    {
        var b = new OnnxNetBuilder("x", 1, H, W, 1);
        string r = b.Node("Reshape", ["x", b.Int64Constant(1, 1, H, W)]);
        var net = CompiledNet.Compile(b.Build(Conv(b, r, 1, 8)), CompiledNet.RandomSamples(6, H * W, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.IsLessThanOrEqualTo(3 * Step(net), net.MaxError());
    }

    [TestMethod]
    public void ThreeMeansApplyToTheNhwcChannels()
    {
        var b = new OnnxNetBuilder("x", 1, H, W, C);
        string t = b.Node("Transpose", ["x"], ("perm", new[] { 0, 3, 1, 2 }));
        var graph = Emc.Compiler.Import.OnnxImporter.Import(b.Build(Conv(b, t, C, 8, k: 1))).Value!;
        var result = KmodelCompiler.Compile(graph, new CompileOptions { Mean = [0.4f, 0.5f, 0.6f], Std = [0.2f] });
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var input = result.Interface!.Inputs[0];
        CollectionAssert.AreEqual(new[] { 1, C, H, W }, input.Shape.ToArray(), "the device input is planar [1, C, H, W]");
        Assert.AreEqual("NCHW planar", input.Layout);
        Assert.AreEqual("NHWC", input.ModelLayout);
        Assert.AreEqual("NCHW", result.Interface.Outputs[0].Layout);

        var generated = GeneratedModelReader.Describe("m", "m.onnx", result.Kmodel!, result.Interface, result.Report).Value!;
        StringAssert.Contains(CHeaderGenerator.Generate(generated), "\"NCHW planar\", \"NHWC\" },");
        string wrapper = CSharpWrapperGenerator.Generate(generated, new CSharpWrapperOptions("Models", "M"));
        StringAssert.Contains(wrapper, "Input0Layout = \"NCHW planar\";");
        StringAssert.Contains(wrapper, "Input0ModelLayout = \"NHWC\";");
    }

    [TestMethod]
    [DataRow(new[] { 0, 3, 1, 2 }, "NHWC")]
    [DataRow(new[] { 0, 3, 2, 1 }, "NWHC")]
    public void ImageCalibrationFeedsTheModelItsOwnLayout(int[] perm, string layout)
    {
        // A photo has structure a wrong axis order would scramble; the compile's own accuracy check (float evaluator on
        // the model-order input vs the simulator on the device bytes) then drops far below the quantization SQNR.
        int h = 12, w = 16;
        int[] dims = perm[2] == 1 ? [1, h, w, C] : [1, w, h, C];
        var b = new OnnxNetBuilder("x", dims);
        string t = b.Node("Transpose", ["x"], ("perm", perm));
        var graph = Emc.Compiler.Import.OnnxImporter.Import(b.Build(Conv(b, t, C, 8, k: 1))).Value!;
        string image = Emc.Tests.TestData.Path("real-zoo", "images", "catdog_cat10.jpg");
        var result = KmodelCompiler.Compile(graph, new CompileOptions { Dataset = [image] });
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual(layout, result.Interface!.Inputs[0].ModelLayout);
        CollectionAssert.AreEqual(new[] { 1, C, h, w }, result.Interface.Inputs[0].Shape.ToArray());
        Assert.IsGreaterThan(30, result.Report!.Accuracy.Single().SqnrDb);
    }

    /// <summary>Planar CHW device bytes → NHWC model order.</summary>
    private static byte[] Nhwc(byte[] chw)
    {
        var m = new byte[chw.Length];
        for (int c = 0; c < C; c++)
        {
            for (int y = 0; y < H; y++)
            {
                for (int x = 0; x < W; x++)
                {
                    m[(((y * W) + x) * C) + c] = chw[(((c * H) + y) * W) + x];
                }
            }
        }

        return m;
    }

    /// <summary>Planar CHW device bytes (height h, width W) → NWHC model order.</summary>
    private static byte[] Nwhc(byte[] chw, int h)
    {
        var m = new byte[chw.Length];
        for (int c = 0; c < C; c++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < W; x++)
                {
                    m[(((x * h) + y) * C) + c] = chw[(((c * h) + y) * W) + x];
                }
            }
        }

        return m;
    }

    private static CompiledNet Check(Onnx.Protobuf.ModelProto model, Func<byte[], byte[]> modelOrder, int height = H)
    {
        var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(6, C * height * W, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax }, modelOrder);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double error = net.MaxError();
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {error:G4} ({error / Step(net):F2} output steps)");
        Assert.IsLessThanOrEqualTo(3 * Step(net), error);
        return net;
    }

    private static double Step(CompiledNet net) => net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int k = 3) => b.RandomConv(x, ic, oc, k, s_random);
}
