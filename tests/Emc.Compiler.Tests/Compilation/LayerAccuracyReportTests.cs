using System.Text;
using Emc.Compiler.Compilation;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>The report's per-layer accuracy account: SQNR of each layer against the float model, the worst named.</summary>
[TestClass]
public sealed class LayerAccuracyReportTests
{
    [TestMethod]
    public void EveryConvLayerCarriesItsSqnrAndTheWorstAreNamed()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        var random = new Random(7);
        var w1 = Enumerable.Range(0, 8 * 3 * 9).Select(_ => (float)(random.NextDouble() - 0.5) * 0.4f).ToArray();
        var w2 = Enumerable.Range(0, 4 * 8 * 9).Select(_ => (float)(random.NextDouble() - 0.5) * 0.4f).ToArray();
        string h = b.Node("Relu", [b.Conv("x", w1, new float[8], 8, 3, 3, 1, [1, 1, 1, 1])]);
        string y = b.Conv(h, w2, new float[4], 4, 8, 3, 1, [1, 1, 1, 1]);
        var artifacts = CompiledNet.CompileArtifacts(b.Build(y), CompiledNet.RandomSamples(6, 3 * 64, 13));
        Assert.IsTrue(artifacts.Result.Succeeded, string.Join(Environment.NewLine, artifacts.Result.Diagnostics));
        var report = artifacts.Result.Report!;

        var measured = report.Layers.Where(l => l.SqnrDb is not null).ToList();
        Assert.IsGreaterThanOrEqualTo(2, measured.Count, "both convs measured");
        foreach (var l in measured)
        {
            Assert.IsGreaterThan(20.0, l.SqnrDb!.Value, $"layer {l.Index} {l.LayerType}: {l.SqnrDb} dB");
        }

        // The last layer's SQNR is the output's when it is the output's float value.
        var output = report.Accuracy[0];
        var last = report.Layers.Last(l => l.SqnrDb is not null);
        Assert.AreEqual(output.SqnrDb, last.SqnrDb!.Value, 0.5, "the output layer's SQNR matches the output's");

        string table = CompileReportFormat.ToTable(report);
        StringAssert.Contains(table, "lowest per-layer SQNR");
        Assert.AreEqual(Math.Min(3, measured.Count), CompileReportFormat.WorstLayers(report).Count);
        StringAssert.Contains(Encoding.UTF8.GetString(CompileReportFormat.ToJson(report)), "\"sqnrDb\"");
        string html = CompileReportHtml.ToHtmlString(report);
        StringAssert.Contains(html, "<th>SQNR</th><th>memory</th>");
        StringAssert.Contains(html, "id=\"worst-layers\"");
        Assert.IsFalse(html.Contains("not in this report", StringComparison.Ordinal));
    }

    [TestMethod]
    public void ShiftedCopiesOfAConvsInputAreNotComparedWithItsOutput()
    {
        // A 5×5 conv (8 → 8 channels) runs as one 3×3 conv over shifted copies of its input; the copies hold the input,
        // not the conv's output they are named after (same shape here; they showed about −3 dB and topped the "lowest" list).
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        var random = new Random(9);
        var w = Enumerable.Range(0, 8 * 8 * 25).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();
        string y = b.Node("Relu", [b.Conv(b.Node("Relu", [b.RandomConv("x", 3, 8, 3, random)]), w, new float[8], 8, 8, 5, 1, [2, 2, 2, 2])]);
        var artifacts = CompiledNet.CompileArtifacts(b.Build(y), CompiledNet.RandomSamples(6, 3 * 256, 3));
        Assert.IsTrue(artifacts.Result.Succeeded, string.Join(Environment.NewLine, artifacts.Result.Diagnostics));
        var report = artifacts.Result.Report!;
        Assert.AreEqual(1, report.Passes.Single(p => p.Name == "stack-shifted-windows").Applied);

        var measured = report.Layers.Where(l => l.SqnrDb is not null).ToList();
        Assert.IsGreaterThanOrEqualTo(2, measured.Count, "the first conv and the 5×5 conv measured");
        foreach (var l in measured)
        {
            Assert.IsGreaterThan(20.0, l.SqnrDb!.Value, $"layer {l.Index} {l.LayerType}: {l.SqnrDb} dB");
        }
    }
}
