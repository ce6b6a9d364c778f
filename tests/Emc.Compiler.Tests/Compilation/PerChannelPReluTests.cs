using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// PRelu with one slope per channel, of both signs, as MTCNN uses it (issue 16, item 4): after a KPU conv (two halves
/// and a 1×1 sum conv, the pool after the sum) and after a float FULLY_CONNECTED (a ReLU pair its consumers weigh).
/// Simulated kmodels are judged against the float evaluator (itself checked against ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class PerChannelPReluTests
{
    private const int Channels = 6;
    private const int Side = 8;

    private static readonly float[] s_slopes = [0.25f, -0.4f, 0f, 1.3f, -1.1f, 0.05f];

    [TestMethod]
    public void AfterAConvTwoHalvesAndASumConv()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string y = b.Node("PRelu", [b.RandomConv("x", Channels, Channels, 3, new Random(1)), Slopes(b, 1, Channels, 1, 1)]);
        var net = Check(b, b.RandomConv(y, Channels, Channels, 3, new Random(2)));
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), string.Join(",", net.LayerTypes));
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "per-channel-prelu-as-halves").Applied);
    }

    [TestMethod]
    public void MaxPoolAfterThePReluPoolsTheSum()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string y = b.Node("PRelu", [b.RandomConv("x", Channels, Channels, 3, new Random(3)), Slopes(b, Channels, 1, 1)]);
        string p = b.Node("MaxPool", [y], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        Check(b, b.RandomConv(p, Channels, Channels, 1, new Random(4)));
    }

    [TestMethod]
    public void AfterADepthwiseConv()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        var random = new Random(5);
        var w = Enumerable.Range(0, Channels * 9).Select(_ => (float)((random.NextDouble() * 2) - 1) / 3).ToArray();
        string dw = b.Conv(b.RandomConv("x", Channels, Channels, 1, random), w, new float[Channels], Channels, Channels, 3, 1, [1, 1, 1, 1], Channels);
        string y = b.Node("PRelu", [dw, Slopes(b, 1, Channels, 1, 1)]);
        Check(b, b.RandomConv(y, Channels, Channels, 1, new Random(6)));
    }

    [TestMethod]
    public void AfterAnAddAPairOfLayersOfItsOwn()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string sum = b.Node("Add", [b.RandomConv("x", Channels, Channels, 3, new Random(9)), b.RandomConv("x", Channels, Channels, 1, new Random(10))]);
        string y = b.Node("PRelu", [sum, Slopes(b, Channels, 1, 1)]);
        // Rounded five times on the way (the convs, the add, both halves, their sum), one more than the other cases.
        var net = Check(b, b.RandomConv(y, Channels, Channels, 3, new Random(11)), steps: 4);
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.QuantizedAdd), string.Join(",", net.LayerTypes));
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "per-channel-prelu-as-halves").Applied);
    }

    [TestMethod]
    public void BetweenFullyConnectedLayers()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        var random = new Random(7);
        string flat = b.Node("Flatten", [b.RandomConv("x", Channels, Channels, 3, random)]);
        int k = Channels * Side * Side;
        string z = b.Node("Gemm", [flat, b.Constant(Uniform(random, k * Channels, 2f / k), Channels, k), b.Constant(Uniform(random, Channels, 0.1f), Channels)], ("transB", 1));
        string y = b.Node("PRelu", [z, Slopes(b, Channels)]);
        string o1 = b.Node("MatMul", [y, b.Constant(Uniform(random, Channels * 3, 0.5f), Channels, 3)]);
        string o2 = b.Node("Gemm", [y, b.Constant(Uniform(random, Channels * 2, 0.5f), Channels, 2)]);
        var net = CompiledNet.Compile(b.Build(o1, o2), CompiledNet.RandomSamples(8, Channels * Side * Side, 8), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.FullyConnected), string.Join(",", net.LayerTypes));
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "per-channel-prelu-after-fully-connected").Applied);
        AssertClose(net);
    }

    private static string Slopes(OnnxNetBuilder b, params long[] dims) => b.Constant(s_slopes, dims);

    private static float[] Uniform(Random random, int count, float scale) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * scale).ToArray();

    private static CompiledNet Check(OnnxNetBuilder b, string output, double steps = 3)
    {
        var net = CompiledNet.Compile(b.Build(output), CompiledNet.RandomSamples(8, Channels * Side * Side, 4), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        AssertClose(net, steps);
        return net;
    }

    /// <summary>Within 3 output steps of the float model, as the other exact realisations (ElementwiseTableTests).</summary>
    private static void AssertClose(CompiledNet net, double steps = 3)
    {
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(steps * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }
}
