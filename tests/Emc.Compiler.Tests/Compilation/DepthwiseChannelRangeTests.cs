using Emc.Compiler.Compilation;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// The construct behind light-person-detector's loss (YOLOX's stem, docs/accuracy.md): a conv whose output channels span
/// ranges hundreds of times apart, SiLU, then a 3×3 depthwise conv with large weights on the small channels. With the
/// per-tensor range [min, max] the small channels fall inside one quantization step and the depthwise conv amplifies
/// their error; the default calibration (<see cref="CalibrationMethod.Consumer"/>) weighs each channel's error by the
/// depthwise weights and clips the large channels instead. Simulated kmodel vs the float evaluator (itself checked against
/// ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class DepthwiseChannelRangeTests
{
    private const int Channels = 4;
    private const int Side = 12;

    [TestMethod]
    public void SmallChannelsFeedingLargeDepthwiseWeightsKeepTheirPrecision()
    {
        var minMax = Compile(CalibrationMethod.MinMax);
        var chosen = Compile(CalibrationMethod.Default);
        Console.WriteLine($"SQNR vs float: MinMax {minMax.SqnrDb():F1} dB, default {chosen.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(10, chosen.SqnrDb());
        Assert.IsGreaterThan(minMax.SqnrDb() + 6, chosen.SqnrDb());
    }

    private static CompiledNet Compile(CalibrationMethod method)
    {
        var b = new OnnxNetBuilder("x", 1, Channels, Side, Side);
        var random = new Random(31);
        int per = Channels * 9;

        // Stem: channels 0 and 1 are mostly below 0 (SiLU ≈ 0) with rare peaks near 25, like YOLOX's stem; channels 2 and 3
        // stay within ±0.3.
        var stem = new float[Channels * per];
        for (int i = 0; i < stem.Length; i++)
        {
            int o = i / per;
            stem[i] = o < 2 ? 7.5f * (float)random.NextDouble() : (float)((random.NextDouble() * 2) - 1) * 0.03f;
        }

        string c = b.Conv("x", stem, [-75f, -80f, 0.05f, -0.05f], Channels, Channels, 3, 1, [1, 1, 1, 1]);
        string silu = b.Node("Mul", [c, b.Node("Sigmoid", [c])]);

        // Depthwise 3×3: tiny weights on the large channels, ±10 on the small ones.
        var dw = new float[Channels * 9];
        for (int i = 0; i < dw.Length; i++)
        {
            dw[i] = i / 9 < 2 ? 0.01f : (float)((random.NextDouble() * 2) - 1) * 10f;
        }

        string y = b.Conv(silu, dw, [0.1f, 0.1f, 0.1f, 0.1f], Channels, Channels, 3, 1, [1, 1, 1, 1], group: Channels);
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(8, Channels * Side * Side, 5), new CompileOptions { Calibration = method });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        return net;
    }
}
