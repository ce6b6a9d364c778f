using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A graph input that feeds anything but exactly one Conv lands in an identity KPU conv (issue 16, item 3): the
/// simulated kmodel is judged against the float evaluator of the same ONNX model.
/// </summary>
[TestClass]
public sealed class InputFanOutTests
{
    [TestMethod]
    public void IdentityLayerPassesEveryByteUnchanged()
    {
        // MaxPool 1×1 is the identity: the output is the input as the device delivered it. Every code 0..255 occurs in
        // every channel, so one wrong table entry, weight or shift shows as an error of 1/255.
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string y = b.Node("MaxPool", ["x"], ("kernel_shape", new[] { 1, 1 }));
        var samples = new List<byte[]> { Enumerable.Range(0, 3 * 256).Select(i => (byte)(i % 256)).ToArray() };
        samples.AddRange(CompiledNet.RandomSamples(3, 3 * 256, 5));
        var net = CompiledNet.Compile(b.Build(y), samples);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(KmodelLayerType.K210Conv, net.LayerTypes.First(), "the identity conv is the first layer");
        Assert.IsLessThanOrEqualTo(1e-6, net.MaxError(), "dequantized bytes differ only by float rounding");
    }

    [TestMethod]
    public void InputFeedingAConvAndAResidualAddIsExactUpToQuantization()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        var random = new Random(3);
        var w = Enumerable.Range(0, 3 * 3 * 9).Select(_ => (float)(random.NextDouble() - 0.5) * 0.4f).ToArray();
        string conv = b.Conv("x", w, [0.1f, -0.1f, 0.05f], 3, 3, 3, 1, [1, 1, 1, 1]);
        string y = b.Node("Add", [conv, "x"]);
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(6, 3 * 64, 7), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
        Assert.AreEqual(2, net.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), "the identity layer and the model's conv");
    }

    [TestMethod]
    public void PerChannelNormalizationFeedingAPoolIsAppliedByTheIdentityLayer()
    {
        // (x − mean) / std per channel cannot be the device map's single pad value; the identity layer applies it.
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        string n = b.Node("Sub", ["x", b.Constant([0.485f, 0.456f, 0.406f], 1, 3, 1, 1)]);
        n = b.Node("Div", [n, b.Constant([0.229f, 0.224f, 0.225f], 1, 3, 1, 1)]);
        string y = b.Node("MaxPool", [n], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(6, 3 * 64, 9), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double range = net.Expected.SelectMany(e => e).Max() - net.Expected.SelectMany(e => e).Min();
        Assert.IsLessThanOrEqualTo(range / 255, net.MaxError(), "within one output quantization step");
    }
}
