using Emc.Compiler.Import;
using Emc.Compiler.K210.Rewrites;
using Emc.Kmodel;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// CReLU after a conv (FaceBoxes, seeta-face-detector: <c>Relu(Concat(y, 0 − y))</c>) becomes one conv with weights
/// [W; −W] (<see cref="CReluAsDoubledConv"/>): the rewritten graph gives the float evaluator's values bit for bit, and
/// the compiled kmodel has no CPU negation table, requantize or concat left. Simulated kmodel vs the float evaluator of
/// the model as written (itself checked against ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class CReluTests
{
    private const int Side = 12;

    private static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(6, 3 * Side * Side, 23);

    [TestMethod]
    [DataRow("Sub", false)]
    [DataRow("Neg", false)]
    [DataRow("Mul", true)]
    public void CReluBecomesOneDoubledConvWithTheSameFloatValues(string negation, bool negatedFirst)
    {
        var model = Model(negation, negatedFirst, extraReader: false);
        var rewritten = RewrittenGraph.AssertSameValues(model, CReluAsDoubledConv.Run, 1, Samples);
        Assert.IsFalse(rewritten.Nodes.Any(n => n.OpType is "Concat" or "Sub" or "Neg" or "Mul"), string.Join(", ", rewritten.Nodes));

        var net = CompiledNet.Compile(model, Samples);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var types = net.LayerTypes.ToList();
        Console.WriteLine($"{negation}: SQNR vs float {net.SqnrDb():F1} dB; layers {string.Join(",", types)}");
        CollectionAssert.DoesNotContain(types, KmodelLayerType.Requantize);
        CollectionAssert.DoesNotContain(types, KmodelLayerType.Concat);
        Assert.IsGreaterThanOrEqualTo(35, net.SqnrDb());
    }

    [TestMethod]
    public void AConvOutputReadElsewhereStaysAsWritten()
    {
        var rewritten = OnnxImporter.Import(Model("Sub", false, extraReader: true)).Value!;

        Assert.AreEqual(0, CReluAsDoubledConv.Run(rewritten));
        Assert.AreEqual(1, rewritten.Nodes.Count(n => n.OpType == "Concat"));
    }

    /// <summary>conv 3→4 (3×3), CReLU (y and its negation by <paramref name="negation"/>), a 1×1 conv 8→4; optionally a
    /// second graph output reading y.</summary>
    private static ModelProto Model(string negation, bool negatedFirst, bool extraReader)
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        var random = new Random(5);
        var w = Enumerable.Range(0, 4 * 27).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        string y = b.Conv("x", w, [0.2f, -0.1f, 0.05f, -0.3f], 4, 3, 3, 1, [1, 1, 1, 1]);
        string negated = negation switch
        {
            "Sub" => b.Node("Sub", [b.Constant([0f], 1), y]),
            "Neg" => b.Node("Neg", [y]),
            _ => b.Node("Mul", [y, b.Constant([-1f], 1)]),
        };
        string crelu = b.Node("Relu", [b.Node("Concat", negatedFirst ? [negated, y] : [y, negated], ("axis", 1))]);
        var pw = Enumerable.Range(0, 4 * 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        string output = b.Conv(crelu, pw, [0f, 0f, 0f, 0f], 4, 8, 1, 1, [0, 0, 0, 0]);
        return extraReader ? b.Build(output, y) : b.Build(output);
    }
}
