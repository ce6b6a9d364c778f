using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// The construct behind light-person-detector's loss (YOLOX's stem, docs/accuracy.md): a conv whose output channels span
/// ranges a hundred times apart, SiLU, then a 3×3 depthwise conv with large weights on the small channels, read by a
/// pointwise conv. On one per-tensor uint8 grid the small channels fall inside one quantization step and the depthwise
/// conv amplifies their error (0.8 dB before the fix); split into channel groups of similar range
/// (<see cref="Quantization.DepthwiseRangeSplit"/>) each keeps its precision. Simulated kmodel vs the float evaluator
/// of the original graph (itself checked against ONNX Runtime in Differential/).
/// </summary>
[TestClass]
public sealed class DepthwiseChannelRangeTests
{
    private const int Channels = 4;
    private const int Side = 12;

    [TestMethod]
    public void SmallChannelsFeedingLargeDepthwiseWeightsKeepTheirPrecision()
    {
        foreach (var method in new[] { CalibrationMethod.Default, CalibrationMethod.MinMax })
        {
            var (model, net) = Compile(method);

            // The compiler rewrites the graph it is given; judge against a fresh import of the model.
            double db = SqnrVsOriginal(model, net);
            Console.WriteLine($"{method}: SQNR vs float {db:F1} dB; layers {string.Join(",", net.LayerTypes)}");
            Assert.IsGreaterThanOrEqualTo(30, db, method.ToString());
        }
    }

    [TestMethod]
    public void WithoutAReaderToFoldIntoConsumerRangesStillRecoverPrecision()
    {
        // The depthwise output is the graph output, so the channels cannot be regrouped (nothing reads the permutation);
        // the consumer ranges alone clip the rare peaks of the large channels and keep the small ones' precision.
        var (model, net) = Compile(CalibrationMethod.Default, pointwiseReader: false);
        var (_, minMax) = Compile(CalibrationMethod.MinMax, pointwiseReader: false);
        double db = SqnrVsOriginal(model, net), before = SqnrVsOriginal(model, minMax);
        Console.WriteLine($"SQNR vs float: MinMax {before:F1} dB, default {db:F1} dB");
        Assert.IsGreaterThanOrEqualTo(12, db);
        Assert.IsLessThan(5, before, "the construct defeats per-tensor MinMax ranges");
    }

    private static double SqnrVsOriginal(ModelProto model, CompiledNet net)
    {
        var original = new ReferenceEvaluator(OnnxImporter.Import(model).Value!);
        double signal = 0, noise = 0;
        for (int s = 0; s < Samples.Count; s++)
        {
            var want = original.Run(Tensor.Create(new Shape(1, Channels, Side, Side), Samples[s].Select(q => q / 255f).ToArray()))[0].ToFloatArray();
            for (int i = 0; i < want.Length; i++)
            {
                signal += (double)want[i] * want[i];
                noise += Math.Pow(want[i] - net.Simulated[s][i], 2);
            }
        }

        return 10 * Math.Log10(signal / noise);
    }

    private static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(8, Channels * Side * Side, 5);

    private static (ModelProto Model, CompiledNet Net) Compile(CalibrationMethod method, bool pointwiseReader = true)
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

        string d = b.Conv(silu, dw, [0.1f, 0.1f, 0.1f, 0.1f], Channels, Channels, 3, 1, [1, 1, 1, 1], group: Channels);

        // A pointwise conv reads the depthwise output (the split folds its channel permutation into these weights).
        var pw = Enumerable.Range(0, Channels * Channels).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var model = b.Build(pointwiseReader ? b.Conv(d, pw, [0f, 0f, 0f, 0f], Channels, Channels, 1, 1, [0, 0, 0, 0]) : d);
        var net = CompiledNet.Compile(model, Samples, new CompileOptions { Calibration = method });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        return (model, net);
    }
}
