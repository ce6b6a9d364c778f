using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Element-wise functions of one uint8 tensor become one REQUANTIZE table each (issue 16, item 4): conv → f → conv,
/// simulated and judged against the float evaluator (itself checked against ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class ElementwiseTableTests
{
    private const int Channels = 4;
    private const int Side = 8;

    public static IEnumerable<object[]> UnaryOps =>
    [
        ["Tanh", Array.Empty<(string, object)>()],
        ["Selu", Array.Empty<(string, object)>()],
        ["Elu", new (string, object)[] { ("alpha", 0.7f) }],
        ["HardSwish", Array.Empty<(string, object)>()],
        ["HardSigmoid", new (string, object)[] { ("alpha", 0.25f), ("beta", 0.4f) }],
        ["Softplus", Array.Empty<(string, object)>()],
        ["Sigmoid", Array.Empty<(string, object)>()],
        ["Exp", Array.Empty<(string, object)>()],
        ["Neg", Array.Empty<(string, object)>()],
    ];

    [TestMethod]
    [DynamicData(nameof(UnaryOps))]
    public void UnaryOpAfterAConvIsOneTable(string op, (string, object)[] attributes)
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string y = b.Node(op, [Conv(b, "x", 11)], attributes);
        var net = Check(b, Conv(b, y, 12));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.Requantize), string.Join(",", net.LayerTypes));
    }

    [TestMethod]
    public void SiluIsOneTable()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string c = Conv(b, "x", 13);
        string y = b.Node("Mul", [c, b.Node("Sigmoid", [c])]);
        var net = Check(b, Conv(b, y, 14));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.Requantize), string.Join(",", net.LayerTypes));
        Assert.AreEqual(0, net.LayerTypes.Count(t => t == KmodelLayerType.Logistic));
    }

    [TestMethod]
    public void MishIsOneTable()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string c = Conv(b, "x", 15);
        string y = b.Node("Mul", [c, b.Node("Tanh", [b.Node("Softplus", [c])])]);
        var net = Check(b, Conv(b, y, 16));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.Requantize), string.Join(",", net.LayerTypes));
    }

    [TestMethod]
    public void ScalarArithmeticAndALoneReluAfterAnAddAreTables()
    {
        // (conv1 + conv2) is QUANTIZED_ADD; the Relu after a residual Add that has another reader stays a table, as does x·0.5 − 1.
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string a = b.Node("Add", [Conv(b, "x", 17), Conv(b, "x", 18)]);
        string r = b.Node("Relu", [a]);
        string s = b.Node("Sub", [b.Node("Mul", [a, b.Constant([0.5f])]), b.Constant([1f])]);
        var net = Check(b, b.Node("Add", [Conv(b, r, 19), Conv(b, s, 20)]));
        Assert.AreEqual(2, net.LayerTypes.Count(t => t == KmodelLayerType.Requantize), string.Join(",", net.LayerTypes));
    }

    [TestMethod]
    public void DifferenceOfTwoTensorsIsOneQuantizedAddWithANegatedMultiplier()
    {
        // conv1 − conv2 (a run-time difference, e.g. a DoG-style or residual-correction head), then a conv and its
        // difference with the first input again, with a Relu fused through the output range.
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string first = Conv(b, "x", 23);
        string d = b.Node("Sub", [first, Conv(b, "x", 24)]);
        string e = b.Node("Relu", [b.Node("Sub", [Conv(b, d, 25), first])]);
        var net = Check(b, Conv(b, e, 26));
        Assert.AreEqual(2, net.LayerTypes.Count(t => t == KmodelLayerType.QuantizedAdd), string.Join(",", net.LayerTypes));
        Assert.AreEqual(0, net.LayerTypes.Count(t => t == KmodelLayerType.Requantize), string.Join(",", net.LayerTypes));
    }

    [TestMethod]
    public void PerPositionConstantIsDiagnosedNotApproximated()
    {
        // A per-channel constant folds into the conv (fold-channel-affine); one that varies per position has no layer.
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string y = b.Node("Mul", [Conv(b, "x", 21), b.Constant(Enumerable.Range(1, Side * Side).Select(v => (float)v).ToArray(), 1, 1, Side, Side)]);
        var result = CompiledNet.Compile(b.Build(Conv(b, y, 22)), CompiledNet.RandomSamples(2, Channels * Side * Side, 1)).Result;
        var error = result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual("EMC0501", error.Code);
        Assert.AreEqual("Mul", error.OpType);
        StringAssert.Contains(error.Message, "varies across elements");
    }

    private static CompiledNet Check(OnnxNetBuilder b, string output)
    {
        var net = CompiledNet.Compile(b.Build(output), CompiledNet.RandomSamples(8, Channels * Side * Side, 4), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
        return net;
    }

    private static string Conv(OnnxNetBuilder b, string x, int seed)
    {
        var random = new Random(seed);
        int per = Channels * 9;
        var w = Enumerable.Range(0, Channels * per).Select(_ => (float)((random.NextDouble() * 2) - 1) / per * 3).ToArray();
        var bias = Enumerable.Range(0, Channels).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        return b.Conv(x, w, bias, Channels, Channels, 3, 1, [1, 1, 1, 1]);
    }
}
