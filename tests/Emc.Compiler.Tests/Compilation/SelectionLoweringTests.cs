using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Slice / Split / Gather with constant indices on planar data: a channel range is a view at an offset (no layer),
/// several runs one concat of views; each judged by the simulator against the float evaluator.
/// </summary>
[TestClass]
public sealed class SelectionLoweringTests
{
    private static readonly Random s_random = new(17);

    [TestMethod]
    public void SplitOnChannelsIsTwoViewsWithoutALayer()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        var parts = b.NodeWithOutputs("Split", [a, b.Int64Constant(3, 5)], 2, ("axis", 1));
        string y = b.Node("Concat", [Conv(b, parts[0], 3, 4, 3), Conv(b, parts[1], 5, 4, 1)], ("axis", 1));
        var net = Check(b.Build(y), 3 * 8 * 8);
        Assert.AreEqual(2, net.Result.Report!.Passes.Single(p => p.Name == "view-element-range").Applied);
        Assert.DoesNotContain(KmodelLayerType.QuantizedConcat, net.LayerTypes.ToList());
    }

    [TestMethod]
    public void ConcatThenSplitOnTheSameBoundariesCopiesNothing()
    {
        // The convs are placed straight into the concat's slices (no layer) and the split takes views of them.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string c = b.Node("Concat", [Conv(b, a, 8, 4, 1), Conv(b, a, 8, 4, 3)], ("axis", 1));
        var parts = b.NodeWithOutputs("Split", [c, b.Int64Constant(4, 4)], 2, ("axis", 1));
        string y = b.Node("Add", [Conv(b, parts[0], 4, 4, 1), Conv(b, parts[1], 4, 4, 1)]);
        var net = Check(b.Build(y), 3 * 8 * 8);
        Assert.DoesNotContain(KmodelLayerType.QuantizedConcat, net.LayerTypes.ToList());
        Assert.DoesNotContain(KmodelLayerType.Concat, net.LayerTypes.ToList());
        Assert.AreEqual(2, net.Result.Report!.Passes.Single(p => p.Name == "view-element-range").Applied);
    }

    [TestMethod]
    public void ChannelSliceIsAViewAtAnOffset()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string s = b.Node("Slice", [a, b.Int64Constant(2), b.Int64Constant(6), b.Int64Constant(1)]);
        var net = Check(b.Build(Conv(b, s, 4, 4, 1)), 3 * 8 * 8);
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "view-element-range").Applied);
    }

    [TestMethod]
    public void StridedChannelSliceIsAConcatOfViews()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string s = b.Node("Slice", [a, b.Int64Constant(1), b.Int64Constant(8), b.Int64Constant(1), b.Int64Constant(2)]); // channels 1,3,5,7
        var net = Check(b.Build(s), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.QuantizedConcat);
    }

    [TestMethod]
    public void FocusSlicesArePicks()
    {
        // YOLOv5 Focus: every other row, then every other column, from two phases, concatenated on channels.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 4, 3);
        string Phase(int y, int x) => b.Node("Slice", [b.Node("Slice", [a, b.Int64Constant(y), b.Int64Constant(8), b.Int64Constant(2), b.Int64Constant(2)]),
            b.Int64Constant(x), b.Int64Constant(8), b.Int64Constant(3), b.Int64Constant(2)]);
        string f = b.Node("Concat", [Phase(0, 0), Phase(1, 1)], ("axis", 1));
        var net = Check(b.Build(Conv(b, f, 8, 4, 1)), 3 * 8 * 8);
        Assert.AreEqual(4, net.Result.Report!.Passes.Single(p => p.Name == "slice-as-pick").Applied);
    }

    [TestMethod]
    public void CropAndChannelRangeIsOnePick()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string s = b.Node("Slice", [a, b.Int64Constant(2, 1, 3), b.Int64Constant(6, 7, 8), b.Int64Constant(1, 2, 3)]);
        var net = Check(b.Build(s), 3 * 8 * 8);
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "slice-as-pick").Applied);
    }

    [TestMethod]
    public void LastAxisSliceOfADetectionHeadIsAPick()
    {
        // YuNet: [1,N,17] → [1,N,14], [1,N,2], [1,N,1] on the last axis.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 6, 3);
        string r = b.Node("Reshape", [b.Node("Transpose", [a], ("perm", new[] { 0, 2, 3, 1 })), b.Int64Constant(1, 64, 6)]);
        string s = b.Node("Slice", [r, b.Int64Constant(4), b.Int64Constant(6), b.Int64Constant(2)]);
        var net = Check(b.Build(s), 3 * 8 * 8);
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "slice-as-pick").Applied);
    }

    [TestMethod]
    public void GatherOfConstantChannelsIsAConcatOfViews()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string g = b.Node("Gather", [a, b.Int64Constant(5, 0, 0, -1)], ("axis", 1));
        var net = Check(b.Build(Conv(b, g, 4, 4, 1)), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.QuantizedConcat);
    }

    [TestMethod]
    public void SliceOfFloatDataStaysFloat()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string a = Conv(b, "x", 3, 8, 3);
        string f = b.Node("Softmax", [b.Node("Flatten", [b.Node("GlobalAveragePool", [a])], ("axis", 1))], ("axis", 1));
        string s = b.Node("Slice", [f, b.Int64Constant(0, 2), b.Int64Constant(1, 8), b.Int64Constant(0, 1), b.Int64Constant(1, 3)]);
        var net = Check(b.Build(s), 3 * 8 * 8);
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.Concat);
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
