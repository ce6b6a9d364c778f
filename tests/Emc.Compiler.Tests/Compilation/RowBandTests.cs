using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Kmodel.Simulation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Stride-1 convs whose output plane exceeds 65536 pixels (a KPU layer's channel_byte_num): row bands with halos,
/// gathered from the input in main memory, one KPU conv each, joined by a concat (conv-by-row-bands; was EMC0503), the
/// device input reaching main memory through the identity first layer run as row blocks. Judged
/// against the float evaluator, and byte for byte against the one layer the bands replace where that layer exists.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class RowBandTests
{
    [TestMethod]
    [DataRow(3, 240, 320, 3, false, DisplayName = "3x240x320 (SCI), 3x3 conv 3→8")]
    [DataRow(8, 300, 256, 1, false, DisplayName = "8x300x256, 1x1 conv 8→8")]
    [DataRow(8, 240, 320, 3, true, DisplayName = "8x240x320, 3x3 depthwise")]
    public void ConvOnALargeMapMatchesTheFloatModel(int c, int h, int w, int k, bool depthwise)
    {
        var b = new OnnxNetBuilder("x", 1, c, h, w);
        var random = new Random(h + w + k);
        int[] pads = k == 3 ? [1, 1, 1, 1] : [0, 0, 0, 0];
        string conv = depthwise
            ? b.Conv("x", Weights(random, c * 9, 9), Bias(random, c), c, c, 3, 1, pads, group: c)
            : b.Conv("x", Weights(random, 8 * c * k * k, c * k * k), Bias(random, 8), 8, c, k, 1, pads);
        var net = CompiledNet.Compile(b.Build(b.Node("Relu", [conv])), CompiledNet.RandomSamples(2, c * h * w, 5), new CompileOptions { Calibration = CalibrationMethod.MinMax });

        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        // A 1×1 conv runs on row blocks instead (one layer, no copies: PointwiseRowBlockTests).
        Assert.AreEqual(k == 3 ? 1 : 0, net.Result.Report!.Passes.Single(p => p.Name == "conv-by-row-bands").Applied);
        Assert.AreEqual(k == 3 ? 0 : 1, net.Result.Report.Passes.Single(p => p.Name == "pointwise-conv-on-row-blocks").Applied);
        var convs = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.IsFalse(convs.Any(kc => kc.Registers.OutWidth * kc.Registers.OutHeight > 65536));
        Assert.AreEqual(2 * c, convs[0].Registers.InChannels, "the first layer reads the input as two row blocks per channel");
        Assert.AreEqual(k == 3, net.Result.Report.Layers.Any(l => l.Tiling is { } t && t.StartsWith("row bands", StringComparison.Ordinal)));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(2 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
    }

    /// <summary>Bands forced on a map one layer can still hold (a lower plane limit): the same output bytes.</summary>
    [TestMethod]
    [DataRow(3, false, false, DisplayName = "3x3 conv")]
    [DataRow(3, true, false, DisplayName = "3x3 depthwise")]
    [DataRow(1, false, false, DisplayName = "1x1 conv")]
    [DataRow(3, false, true, DisplayName = "3x3 conv, then a banded 3x3 conv that reads its bands (no join between)")]
    [DataRow(1, false, true, DisplayName = "1x1 conv, then a banded 3x3 conv that reads its bands (no join between)")]
    [DataRow(3, true, true, DisplayName = "3x3 depthwise, then a banded 3x3 conv that reads its bands (no join between)")]
    public void BandsGiveTheBytesOfTheOneLayer(int k, bool depthwise, bool chain)
    {
        const int h = 100, w = 160;
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        var random = new Random(k + (depthwise ? 10 : 0));
        string first = b.Node("Relu", [b.Conv("x", Weights(random, 8 * 3, 3), Bias(random, 8), 8, 3, 1, 1, [0, 0, 0, 0])]);
        int[] pads = k == 3 ? [1, 1, 1, 1] : [0, 0, 0, 0];
        string second = b.Node("Relu", [depthwise
            ? b.Conv(first, Weights(random, 8 * 9, 9), Bias(random, 8), 8, 8, 3, 1, pads, group: 8)
            : b.Conv(first, Weights(random, 8 * 8 * k * k, 8 * k * k), Bias(random, 8), 8, 8, k, 1, pads)]);
        var model = b.Build(chain ? b.Conv(second, Weights(random, 8 * 8 * 9, 72), Bias(random, 8), 8, 8, 3, 1, [1, 1, 1, 1]) : second);
        var samples = CompiledNet.RandomSamples(2, 3 * h * w, 9);
        var options = new CompileOptions { Calibration = CalibrationMethod.MinMax };
        var one = CompiledNet.Compile(model, samples, options);
        var banded = CompiledNet.Compile(model, samples, options with { RowBandPlane = 4096 });

        Assert.IsTrue(banded.Result.Succeeded, string.Join(Environment.NewLine, banded.Result.Diagnostics));
        Assert.AreEqual(0, one.Result.Report!.Passes.Single(p => p.Name == "conv-by-row-bands").Applied);
        Assert.AreEqual(chain ? 2 : 1, banded.Result.Report!.Passes.Single(p => p.Name == "conv-by-row-bands").Applied);
        int bands = banded.File!.Layers.Count(l => l.Type == KmodelLayerType.K210Conv) - 1;
        Assert.IsGreaterThanOrEqualTo(chain ? 8 : 4, bands); // 100 rows of 160 px, at most 4096 px per band: 25 rows with halos
        int joins = banded.Result.Report.Layers.Count(l => l.Tiling?.EndsWith("joined per channel", StringComparison.Ordinal) == true);
        Assert.AreEqual(1, joins); // the last banded conv's output only
        for (int s = 0; s < samples.Count; s++)
        {
            CollectionAssert.AreEqual(one.Simulated[s], banded.Simulated[s], $"sample {s}");
        }
    }

    /// <summary>
    /// SCI's pattern: x / (σ(conv(x)) + x). The quotient of two tensors is the host's (--tail auto), and it reads the
    /// input, which the device copies to main memory anyway for its banded conv and its Add: the input is passed
    /// through as a device output (was EMC0503 on the input and the conv, and no cut).
    /// </summary>
    [TestMethod]
    public void HostTailReadsTheInputPassedThrough()
    {
        const int h = 240, w = 320;
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        var random = new Random(3);
        string sigma = b.Node("Sigmoid", [b.Conv("x", Weights(random, 81, 27), Bias(random, 3), 3, 3, 3, 1, [1, 1, 1, 1])]);
        string quotient = b.Node("Div", ["x", b.Node("Add", [sigma, "x"])]);
        var model = b.Build(quotient);
        var samples = CompiledNet.RandomSamples(2, 3 * h * w, 4);
        var result = CompiledNet.CompileArtifacts(model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax, AutoTail = true }).Result;

        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual("x", result.Interface!.Outputs[0].Name);
        var tail = result.Tail!;
        var simulator = KmodelSimulator.Create(KmodelReader.Read(result.Kmodel!).Value!).Value!;
        var graph = OnnxImporter.Import(model).Value!;
        var evaluator = new ReferenceEvaluator(graph);
        foreach (var q in samples)
        {
            var x = q.Select(v => v / 255f).ToArray();
            var run = simulator.Run(q);
            var passed = run.Outputs[0].AsFloat32()!;
            for (int i = 0; i < x.Length; i++)
            {
                Assert.AreEqual(x[i], passed[i], 1e-6f, $"input pixel {i}");
            }

            var names = result.Interface.Outputs.Select(o => o.Name).ToList();
            var cut = tail.InputValues.Select(v => Tensor.Create(v.Shape!, run.Outputs[names.IndexOf(v.Name)].AsFloat32()!)).ToList();
            var whole = TailEvaluator.Run(tail, cut)[0].ToFloatArray();
            var expected = evaluator.Run(Tensor.Create(graph.Inputs[0].Shape!, x))[0].ToFloatArray();

            // x / (s + x) with s = σ(·) ∈ (0, 1): an error e in the uint8 denominator moves the quotient by at most e·x/(s+x)²
            // ≤ e/s; bound the denominator's error by two of its steps (its range is at most [0, 2]).
            double s = (double)expected.Zip(x, (y, xi) => y > 0 ? (xi / y) - xi : 1).Min();
            double bound = 2 * (2.0 / 255) / s;
            double max = expected.Zip(whole, (e, a) => Math.Abs(e - a)).Max();
            Console.WriteLine($"max error {max:G4}, bound {bound:G4}");
            Assert.IsLessThanOrEqualTo(bound, max);
        }
    }

    private static float[] Weights(Random random, int count, int fanIn) =>
        Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) / MathF.Sqrt(fanIn)).ToArray();

    private static float[] Bias(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
}
