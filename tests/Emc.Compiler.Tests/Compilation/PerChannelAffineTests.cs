using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Per-channel affine maps no conv before them absorbs (issue 16 item 2; burn-mnist's BatchNormalization after a ReLU):
/// a depthwise 1×1 KPU conv. Simulated kmodels judged against the float evaluator.
/// </summary>
[TestClass]
public sealed class PerChannelAffineTests
{
    private const int Channels = 4;
    private const int Side = 8;

    [TestMethod]
    public void BatchNormAfterARelu()
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string r = b.Node("Relu", [b.RandomConv("x", Channels, Channels, 3, new Random(1))]);
        string bn = b.Node("BatchNormalization", [r, b.Constant([1.5f, 0.5f, -0.7f, 2f], Channels), b.Constant([0.1f, -0.2f, 0.3f, 0f], Channels),
            b.Constant([0.05f, 0.1f, 0f, -0.05f], Channels), b.Constant([0.5f, 2f, 1f, 0.25f], Channels)]);
        var net = Check(b, b.RandomConv(bn, Channels, Channels, 3, new Random(2)));
        Assert.AreEqual(3, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), string.Join(",", net.LayerTypes));
    }

    [TestMethod]
    [DataRow("Mul", false)]
    [DataRow("Div", false)]
    [DataRow("Sub", false)]
    [DataRow("Sub", true)]
    [DataRow("Mul", true)]
    public void ConstantPerChannelArithmeticAfterAnAdd(string op, bool constantFirst)
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        string sum = b.Node("Add", [b.RandomConv("x", Channels, Channels, 3, new Random(3)), b.RandomConv("x", Channels, Channels, 1, new Random(4))]);
        string k = b.Constant([0.5f, -1.25f, 2f, 0.8f], 1, Channels, 1, 1);
        string y = b.Node(op, constantFirst ? [k, sum] : [sum, k]);
        // Rounded after the float model's sum four times (the two convs, the add, this layer, the last conv).
        var net = Check(b, b.RandomConv(y, Channels, Channels, 1, new Random(5)), steps: 5);
        Assert.AreEqual(1, net.Result.Report!.Passes.Single(p => p.Name == "per-channel-affine-as-depthwise-conv").Applied);
    }

    private static CompiledNet Check(OnnxNetBuilder b, string output, double steps = 3)
    {
        var net = CompiledNet.Compile(b.Build(output), CompiledNet.RandomSamples(8, Channels * Side * Side, 6), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(steps * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
        return net;
    }
}
