using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.K210.Rewrites;
using Emc.Kmodel;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A two-class Softmax per pixel of a conv's two channels (MTCNN P-Net, Keras-exported through a Transpose to NHWC) runs
/// on the device as σ(a − b) (<see cref="PairwiseSoftmaxAsSigmoid"/>): the rewritten graph's values equal the model's up
/// to float rounding, and the compiled kmodel (no tail) matches the float evaluator of the model as written (itself
/// checked against ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class PairwiseSoftmaxTests
{
    private const int Side = 10;

    private static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(6, 3 * Side * Side, 29);

    [TestMethod]
    [DataRow(11, true)]
    [DataRow(13, true)]
    [DataRow(13, false)]
    public void TwoClassSoftmaxOfAConvRunsOnTheDevice(int opset, bool nhwc)
    {
        var model = Model(opset, nhwc, classes: 2, extraReader: false);
        var rewritten = RewrittenGraph.AssertSameValues(model, PairwiseSoftmaxAsSigmoid.Run, 1, Samples, tolerance: 1e-6);
        Assert.IsFalse(rewritten.Nodes.Any(n => n.OpType == "Softmax"));

        var net = CompiledNet.Compile(model, Samples);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.IsNull(net.Result.Tail, "no host tail");
        Console.WriteLine($"opset {opset} nhwc {nhwc}: SQNR vs float {net.SqnrDb():F1} dB, max error {net.MaxError():G3}; layers {string.Join(",", net.LayerTypes)}");
        CollectionAssert.DoesNotContain(net.LayerTypes.ToList(), KmodelLayerType.Softmax);
        Assert.IsGreaterThanOrEqualTo(30, net.SqnrDb());
    }

    [TestMethod]
    public void EmcInspectsWillItCompileCheckAgrees()
    {
        var (_, diagnostics) = CompileCheck.Run(Model(13, true, classes: 2, extraReader: false), null);

        Assert.IsFalse(diagnostics.Any(d => d.IsError), string.Join(Environment.NewLine, diagnostics));
    }

    [TestMethod]
    [DataRow(3, false)]
    [DataRow(2, true)]
    public void OtherSoftmaxesStayAsWritten(int classes, bool extraReader)
    {
        var rewritten = OnnxImporter.Import(Model(13, true, classes, extraReader)).Value!;

        Assert.AreEqual(0, PairwiseSoftmaxAsSigmoid.Run(rewritten));
        Assert.AreEqual(1, rewritten.Nodes.Count(n => n.OpType == "Softmax"));
    }

    /// <summary>conv 3→8 3×3 ReLU, conv 8→<paramref name="classes"/> 1×1, optionally Transpose to NHWC, Softmax over the
    /// class axis; with <paramref name="extraReader"/> the logits are a graph output too.</summary>
    private static ModelProto Model(int opset, bool nhwc, int classes, bool extraReader)
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side) { Opset = opset };
        var random = new Random(8);
        string hidden = b.Node("Relu", [b.RandomConv("x", 3, 8, 3, random)]);
        string logits = b.RandomConv(hidden, 8, classes, 1, random);
        string input = nhwc ? b.Node("Transpose", [logits], ("perm", new[] { 0, 2, 3, 1 })) : logits;
        string y = b.Node("Softmax", [input], ("axis", nhwc ? 3 : 1));
        return extraReader ? b.Build(y, logits) : b.Build(y);
    }
}
