using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A model's own DepthToSpace (PixelShuffle, sub-pixel convolution) in both channel orders: a row gather and a float
/// TENSORFLOW_FLATTEN, exact, judged against the float evaluator (itself checked against ONNX Runtime).
/// </summary>
[TestClass]
public sealed class DepthToSpaceLoweringTests
{
    [TestMethod]
    [DataRow(2, "DCR", true)]
    [DataRow(2, "CRD", true)]
    [DataRow(3, "DCR", true)]
    [DataRow(2, "DCR", false)]
    public void PixelShuffleMatchesTheFloatModel(int blockSize, string mode, bool convAfter)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 6, 10);
        var random = new Random(blockSize);
        string y = b.RandomConv("x", 3, 2 * blockSize * blockSize, 3, random);
        y = b.Node("DepthToSpace", [y], ("blocksize", blockSize), ("mode", mode));
        if (convAfter)
        {
            y = b.RandomConv(y, 2, 4, 3, random);
        }

        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(3, 3 * 6 * 10, 8), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(1, net.LayerTypes.Count(t => t == KmodelLayerType.TensorflowFlatten));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {net.MaxError() / step:F2} steps, SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }
}
