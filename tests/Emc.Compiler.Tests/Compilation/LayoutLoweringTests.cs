using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Layout ops realised exactly or rejected: transposes (alias when the order is kept, TENSORFLOW_FLATTEN when two
/// blocks of axes swap), each judged by the simulator against the float evaluator.
/// </summary>
[TestClass]
public sealed class LayoutLoweringTests
{
    private static readonly Random s_random = new(11);

    [TestMethod]
    public void NchwToNhwcReadAsUInt8RunsOnTheStockSdk()
    {
        // QUANTIZED_TENSORFLOW_FLATTEN (21) runs only on Maix-EMC's patched kpu.c: the reorder is float, quantized back
        // with the same (s, b), so the u8 reader sees the same bytes.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string t = b.Node("Transpose", [a], ("perm", new[] { 0, 2, 3, 1 }));
        string y = b.Node("MaxPool", [t], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })); // a u8 layer reads it
        var net = Check(b.Build(y), 3 * 8 * 8);
        var types = net.LayerTypes.ToList();
        CollectionAssert.Contains(types, KmodelLayerType.TensorflowFlatten);
        CollectionAssert.Contains(types, KmodelLayerType.Quantize);
        Assert.DoesNotContain(KmodelLayerType.QuantizedTensorflowFlatten, types);
        Assert.IsFalse(KmodelReader.Read(net.Result.Kmodel!).Diagnostics.Any(d => d.Code == "EMC0318"), "a layer the stock SDK does not run");
    }

    [TestMethod]
    public void KerasFlattenBeforeACpuFullyConnectedUsesTheStockFloatFlatten()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 4, 3);
        string t = b.Node("Transpose", [a], ("perm", new[] { 0, 2, 3, 1 }));
        string f = b.Node("Flatten", [t], ("axis", 1));
        var w = Enumerable.Range(0, 10 * 256).Select(i => (float)Math.Sin(i) / 64).ToArray();
        string y = b.Node("Gemm", [f, b.Constant(w, 10, 256), b.Constant(new float[10], 10)], ("transB", 1));
        var net = Check(b.Build(y), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.TensorflowFlatten);
        Assert.DoesNotContain(KmodelLayerType.QuantizedTensorflowFlatten, net.LayerTypes.ToList());
    }

    [TestMethod]
    public void NchwToNhwcOfFloatDataIsTensorflowFlatten()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string s = b.Node("Softmax", [b.Node("Flatten", [a], ("axis", 1))], ("axis", 1));
        string r = b.Node("Reshape", [s, b.Int64Constant(1, 8, 8, 8)]);
        string y = b.Node("Transpose", [r], ("perm", new[] { 0, 2, 3, 1 }));
        var net = Check(b.Build(y), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.TensorflowFlatten);
    }

    [TestMethod]
    public void RankThreeChannelLastTransposeIsAFlatten()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 6, 3);
        string r = b.Node("Reshape", [a, b.Int64Constant(1, 6, 64)]);
        string y = b.Node("Transpose", [r], ("perm", new[] { 0, 2, 1 }));
        var net = Check(b.Build(y), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.TensorflowFlatten); // an output: read as float
    }

    [TestMethod]
    [DataRow(1, 8)] // C = 1
    [DataRow(8, 1)] // H = W = 1 (after a global pool)
    public void TransposeOfSizeOneAxesIsAnAlias(int channels, int size)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, channels, 3);
        if (size == 1)
        {
            a = b.Node("GlobalAveragePool", [a]);
        }

        string t = b.Node("Transpose", [a], ("perm", new[] { 0, 2, 3, 1 }));
        string y = b.Node("Flatten", [t], ("axis", 1));
        var net = Check(b.Build(y), 3 * 8 * 8);
        Assert.DoesNotContain(KmodelLayerType.QuantizedTensorflowFlatten, net.LayerTypes.ToList());
        Assert.DoesNotContain(KmodelLayerType.TensorflowFlatten, net.LayerTypes.ToList());
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "alias-order-keeping-transpose").Applied);
    }

    [TestMethod]
    public void ChannelShuffleIsOneConcatOfPlaneViews()
    {
        // ShuffleNet: [1,g·n,H,W] → [1,g,n,H,W] → transpose (0,2,1,3,4) → [1,n·g,H,W]; a wrong plane order would
        // feed the next conv the wrong channels and fail the bound.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string r = b.Node("Reshape", [a, b.Int64Constant(1, 2, 4, 8, 8)]);
        string t = b.Node("Transpose", [r], ("perm", new[] { 0, 2, 1, 3, 4 }));
        string s = b.Node("Reshape", [t, b.Int64Constant(1, 8, 8, 8)]);
        var net = Check(b.Build(Conv(b, s, 8, 8, 1)), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.QuantizedConcat);
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "gather-runs-by-concat").Applied);
    }

    [TestMethod]
    public void DetectionHeadConcatOnTheLastAxisThenTransposeIsExact()
    {
        // light-person-detector / YOLOX: per-level [1,6,H·W] maps concatenated on the last axis, then (0,2,1).
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 6, 3);
        string p = b.Node("MaxPool", [a], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        string l0 = b.Node("Reshape", [a, b.Int64Constant(1, 6, 64)]);
        string l1 = b.Node("Reshape", [p, b.Int64Constant(1, 6, 16)]);
        string c = b.Node("Concat", [l0, l1], ("axis", -1));
        string y = b.Node("Transpose", [c], ("perm", new[] { 0, 2, 1 }));
        var net = Check(b.Build(y), 3 * 8 * 8);
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "concat-inner-axis-by-views").Applied);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.TensorflowFlatten);
    }

    [TestMethod]
    public void TransposeOfTooManyRunsIsRejectedNamingThePermutationAndLimit()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 32, 40);
        string a = Conv(b, "x", 3, 4, 3);
        string y = b.Node("Transpose", [a], ("perm", new[] { 0, 1, 3, 2 })); // 4·32·40 single elements (3 pairs merge across channels)
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(2, 3 * 32 * 40, 1));
        var error = net.Result.Diagnostics.Single(d => d.IsError);
        StringAssert.Contains(error.Message, "(Transpose)");
        StringAssert.Contains(error.Message, "perm [0,1,3,2]");
        StringAssert.Contains(error.Message, "5117 separate runs");
        StringAssert.Contains(error.Message, "at most 4096 runs");
    }

    private static CompiledNet Check(Onnx.Protobuf.ModelProto model, int inputLength, int samples = 6)
    {
        var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(samples, inputLength, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        double error = net.MaxError();
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {error:G4} ({error / step:F2} output steps)");
        Assert.IsLessThanOrEqualTo(3 * step, error);
        return net;
    }

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int k) => b.RandomConv(x, ic, oc, k, s_random);
}
