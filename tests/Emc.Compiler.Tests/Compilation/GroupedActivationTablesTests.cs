using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Activation tables by channel group (<see cref="ActivationRanges.PerChannel"/>, issue 10): a SiLU table between a conv
/// whose channels span ranges far apart and the 1×1 conv that reads it runs as one REQUANTIZE per run of channels, each
/// with its own input and output quantization (zero point included; the reader folds it into its bias). Judged by the
/// simulated kmodel against the float evaluator (itself checked against ONNX Runtime in Differential/), calibrated and
/// measured on the same samples.
/// </summary>
[TestClass]
public sealed class GroupedActivationTablesTests
{
    private const int Side = 10;

    private static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(8, 3 * Side * Side, 23);

    [TestMethod]
    public void ASiluTableBetweenChannelsOfDistantRangesRunsPerGroup()
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string conv = b.Conv("x", Scaled(Weights(8, 3, 3, 31), 27, o => o < 4 ? 30 : 0.3f), [0, 0, 0, 0, 0, 0, 0, 0], 8, 3, 3, 1, [0, 0, 0, 0]);
        var model = b.Build(b.Conv(Silu(b, conv), ReaderWeights(4, 8, 32, c => c < 4 ? 1 / 30f : 3), [0, 0, 0, 0], 4, 8, 1, 1, [0, 0, 0, 0]));

        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb() + 10, perChannel.SqnrDb());
        Assert.AreEqual(1, perTensor.LayerTypes.Count(t => t == KmodelLayerType.Requantize));
        Assert.IsGreaterThan(1, perChannel.LayerTypes.Count(t => t == KmodelLayerType.Requantize));

        // The report compares each run with its channels of the SiLU's value.
        var runs = perChannel.Result.Report!.Layers.Where(l => l.LayerType.StartsWith("table", StringComparison.Ordinal)).ToList();
        Assert.IsGreaterThan(1, runs.Count);
        Assert.IsTrue(runs.All(l => l.SqnrDb is > 20), string.Join(", ", runs.Select(l => l.SqnrDb)));
    }

    [TestMethod]
    public void ATableReadingAConcatBufferTakesEachWritersRange()
    {
        // Two convs 40× apart write their slices of one concat buffer in place; the SiLU after the concat reads each
        // slice with the range of the conv that wrote it.
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string big = b.Conv("x", Scaled(Weights(4, 3, 3, 41), 27, _ => 40), [0, 0, 0, 0], 4, 3, 3, 1, [1, 1, 1, 1]);
        string small = b.Conv("x", Weights(4, 3, 3, 42), [0, 0, 0, 0], 4, 3, 3, 1, [1, 1, 1, 1]);
        string joined = b.Node("Concat", [big, small], ("axis", 1));
        var model = b.Build(b.Conv(Silu(b, joined), ReaderWeights(4, 8, 43, c => c < 4 ? 1 / 40f : 1), [0, 0, 0, 0], 4, 8, 1, 1, [0, 0, 0, 0]));

        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb() + 6, perChannel.SqnrDb());
        Assert.IsGreaterThan(1, perChannel.LayerTypes.Count(t => t == KmodelLayerType.Requantize));
    }

    [TestMethod]
    public void APaddedReaderKeepsTheTablesOutputPerTensor()
    {
        // A 3×3 padded conv reads the SiLU: its padding must be real zero in every channel, so the output keeps one zero
        // point; only the input side (written by the first conv) is grouped, and the result stays exact.
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string conv = b.Conv("x", Scaled(Weights(8, 3, 3, 51), 27, o => o < 4 ? 30 : 0.3f), [0, 0, 0, 0, 0, 0, 0, 0], 8, 3, 3, 1, [0, 0, 0, 0]);
        var model = b.Build(b.Conv(Silu(b, conv), ReaderWeights(4, 8 * 9, 52, i => i / 9 < 4 ? 1 / 30f : 3), [0, 0, 0, 0], 4, 8, 3, 1, [1, 1, 1, 1]));

        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb(), perChannel.SqnrDb());
        Assert.IsGreaterThan(1, perChannel.LayerTypes.Count(t => t == KmodelLayerType.Requantize));
    }

    [TestMethod]
    public void ChannelsOfOneRangeKeepOneTable()
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        var row = Weights(1, 3, 3, 61);
        string conv = b.Conv("x", [.. Enumerable.Repeat(row, 8).SelectMany(r => r)], [0, 0, 0, 0, 0, 0, 0, 0], 8, 3, 3, 1, [0, 0, 0, 0]);
        var model = b.Build(b.Conv(Silu(b, conv), Weights(4, 8, 1, 62), [0, 0, 0, 0], 4, 8, 1, 1, [0, 0, 0, 0]));

        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Assert.AreEqual(1, perChannel.LayerTypes.Count(t => t == KmodelLayerType.Requantize));
    }

    private static string Silu(OnnxNetBuilder b, string x) => b.Node("Mul", [x, b.Node("Sigmoid", [x])]);

    /// <summary>Weights [oc, per] whose output channel o is multiplied by <paramref name="factor"/>(o).</summary>
    private static float[] Scaled(float[] w, int per, Func<int, float> factor)
    {
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= factor(i / per);
        }

        return w;
    }

    /// <summary>Reader weights [oc, inputs] whose input i is multiplied by <paramref name="factor"/>(i), so every input channel
    /// matters alike at the output.</summary>
    private static float[] ReaderWeights(int oc, int inputs, int seed, Func<int, float> factor)
    {
        var w = Weights(oc, inputs, 1, seed);
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= factor(i % inputs);
        }

        return w;
    }

    private static float[] Weights(int oc, int ic, int k, int seed)
    {
        var random = new Random(seed);
        var w = new float[oc * ic * k * k];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)((random.NextDouble() * 2) - 1) / (ic * k);
        }

        return w;
    }

    private static CompiledNet Compile(ModelProto model, ActivationRanges ranges)
    {
        var net = CompiledNet.Compile(model, Samples, new CompileOptions { ActivationRanges = ranges, Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        return net;
    }
}
