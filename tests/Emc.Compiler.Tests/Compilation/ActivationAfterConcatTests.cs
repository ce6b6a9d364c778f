using Emc.Compiler.Import;
using Emc.Compiler.K210.Rewrites;
using Emc.Kmodel;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// An activation after a Concat of conv outputs (issue 16 item 5) moves onto the convs
/// (<see cref="ActivationIntoConcatInputs"/>): the rewritten graph gives the same float values bit for bit, and the
/// compiled kmodel fuses each activation into its KPU conv instead of a CPU table over the joined map. Simulated kmodel
/// vs the float evaluator of the model as written (itself checked against ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class ActivationAfterConcatTests
{
    private const int Side = 10;

    private static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(6, 3 * Side * Side, 41);

    [TestMethod]
    [DataRow("Relu")]
    [DataRow("Clip")]
    [DataRow("LeakyRelu")]
    public void TheActivationFusesIntoEachConv(string op)
    {
        var model = Model(op, extraReader: false);
        RewrittenGraph.AssertSameValues(model, ActivationIntoConcatInputs.Run, 1, Samples);

        var net = CompiledNet.Compile(model, Samples);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var types = net.LayerTypes.ToList();
        Console.WriteLine($"{op}: SQNR vs float {net.SqnrDb():F1} dB; layers {string.Join(",", types)}");
        CollectionAssert.DoesNotContain(types, KmodelLayerType.Requantize);
        Assert.IsGreaterThanOrEqualTo(35, net.SqnrDb());
    }

    [TestMethod]
    public void AnInputReadElsewhereKeepsTheActivationAfterTheConcat()
    {
        var rewritten = OnnxImporter.Import(Model("Relu", extraReader: true)).Value!;

        Assert.AreEqual(0, ActivationIntoConcatInputs.Run(rewritten));
    }

    /// <summary>Two 3×3 convs of the input, Concat, the activation, a 1×1 conv; optionally the first conv is an output too.</summary>
    private static ModelProto Model(string op, bool extraReader)
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        var random = new Random(12);
        string a = b.RandomConv("x", 3, 4, 3, random);
        string c = b.RandomConv("x", 3, 4, 3, random);
        string joined = b.Node("Concat", [a, c], ("axis", 1));
        string activated = op switch
        {
            "Clip" => b.Node("Clip", [joined, b.Constant([0f], 1), b.Constant([0.1f], 1)]),
            "LeakyRelu" => b.Node("LeakyRelu", [joined], ("alpha", 0.1f)),
            _ => b.Node("Relu", [joined]),
        };
        string y = b.RandomConv(activated, 8, 4, 1, random);
        return extraReader ? b.Build(y, a) : b.Build(y);
    }
}
