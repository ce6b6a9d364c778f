using Emc.Compiler.Analysis;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// The report's "activation rounding alone" figure (<see cref="ActivationGridModel"/>): the float model with the kmodel's
/// activation grids and nothing else. Judged by the simulator: with 16-bit weights (weight rounding nearly gone) the
/// kmodel's error is the activations', so the two figures must agree.
/// </summary>
[TestClass]
public sealed class ActivationGridModelTests
{
    internal const int Side = 16;

    internal static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(8, 3 * Side * Side, 11);

    [TestMethod]
    public void WithSixteenBitWeightsTheKmodelErrorIsTheActivationGrids()
    {
        var net = CompiledNet.Compile(ReluSixChain(), Samples, new CompileOptions { WeightBits = 16 });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var output = net.Result.Report!.Accuracy[0];
        Console.WriteLine($"kmodel {output.SqnrDb:F2} dB, activation rounding alone {output.ActivationRoundingSqnrDb:F2} dB");
        Assert.IsLessThan(25, output.SqnrDb, "the net is limited by its activation grids (its reader cancels what its inputs share)");
        Assert.AreEqual(output.SqnrDb, output.ActivationRoundingSqnrDb!.Value, 0.5);
        StringAssert.Contains(CompileReportFormat.ToTable(net.Result.Report), "activation rounding alone");
        StringAssert.Contains(System.Text.Encoding.UTF8.GetString(CompileReportFormat.ToJson(net.Result.Report)), "\"activationRoundingSqnrDb\"");
    }

    [TestMethod]
    public void GridsEightBitsFinerLeaveTheFloatModel()
    {
        var artifacts = CompiledNet.CompileArtifacts(ReluSixChain(), Samples);
        Assert.IsTrue(artifacts.Result.Succeeded, string.Join(Environment.NewLine, artifacts.Result.Diagnostics));
        var graph = artifacts.Graph;
        var plain = new Emc.Compiler.Evaluation.ReferenceEvaluator(graph);
        double Sqnr(ActivationGridModel grids)
        {
            var rounded = grids.Evaluator(graph);
            double signal = 0, noise = 0;
            foreach (var q in Samples)
            {
                var x = q.Select(v => v / 255f).ToArray();
                var want = plain.Run(Tensor.Create(graph.Inputs[0].Shape!, x))[0].ToFloatArray();
                var got = rounded.Run(Tensor.Create(graph.Inputs[0].Shape!, x))[0].ToFloatArray();
                signal += want.Sum(v => (double)v * v);
                noise += want.Zip(got).Sum(p => Math.Pow(p.First - p.Second, 2));
            }

            return 10 * Math.Log10(signal / noise);
        }

        var eight = new ActivationGridModel(graph, artifacts.Model!);
        double coarse = Sqnr(eight), fine = Sqnr(new ActivationGridModel(graph, artifacts.Model!, extraBits: 8));
        Console.WriteLine($"rounded values {string.Join(", ", eight.Values)}: 8-bit grids {coarse:F2} dB, 16-bit {fine:F2} dB");
        Assert.IsGreaterThanOrEqualTo(3, eight.Values.Count, "both ReLU6 outputs and the output");
        Assert.IsGreaterThan(coarse + 40, fine, "256× finer grids: about 48 dB less noise");
    }

    /// <summary>
    /// conv 3×3 (3 → 8) → ReLU6 → depthwise 3×3 → ReLU6 → conv 1×1 (8 → 4), with weights large enough that both ReLU6
    /// outputs reach 6. Channels come in near-twins (2j + 1 is 2j with weights 5 % apart) and output j is their
    /// difference: the reader cancels what the twins share, as MobileNet's last pointwise conv cancels the common part of
    /// its inputs, so the inputs' rounding noise — not the output's own — sets the output's accuracy.
    /// </summary>
    internal static ModelProto ReluSixChain()
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        var random = new Random(3);
        float[] Twins(int perChannel, double scale)
        {
            var w = new float[8 * perChannel];
            for (int j = 0; j < 4; j++)
            {
                for (int i = 0; i < perChannel; i++)
                {
                    double v = ((random.NextDouble() * 2) - 1) * scale;
                    w[(2 * j * perChannel) + i] = (float)v;
                    w[(((2 * j) + 1) * perChannel) + i] = (float)(v * (1 + (0.05 * ((random.NextDouble() * 2) - 1))));
                }
            }

            return w;
        }

        string Relu6(string x) => b.Node("Clip", [x, b.Constant([0f]), b.Constant([6f])]);
        var stem = Relu6(b.Conv("x", Twins(27, 1.2), Twins(1, 0.5), 8, 3, 3, 1, [1, 1, 1, 1]));
        var dw = Relu6(b.Conv(stem, Twins(9, 0.8), Twins(1, 0.5), 8, 8, 3, 1, [1, 1, 1, 1], group: 8));
        var difference = new float[4 * 8];
        for (int j = 0; j < 4; j++)
        {
            (difference[(j * 8) + (2 * j)], difference[(j * 8) + (2 * j) + 1]) = (1f, -1f);
        }

        return b.Build(b.Conv(dw, difference, new float[4], 4, 8, 1, 1, [0, 0, 0, 0]));
    }
}
