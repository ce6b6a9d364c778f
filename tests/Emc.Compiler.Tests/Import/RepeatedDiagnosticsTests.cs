using System.Diagnostics;
using Emc.Compiler.Import;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Import;

/// <summary>A graph with a thousand copies of one node (as corrupt or fuzzed files have) gives a bounded report.</summary>
[TestClass]
public sealed class RepeatedDiagnosticsTests
{
    [TestMethod]
    public void A_thousand_duplicate_nodes_give_twenty_diagnostics_and_one_summary()
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 1, 2));
        g.Output.Add(TinyModels.Float("y", 1, 2));
        for (int i = 0; i < 1_001; i++)
        {
            g.Node.Add(TinyModels.Node("Relu", $"relu{i}", ["x"], ["y"]));
        }

        byte[] bytes = TinyModels.Model(g).ToByteArray();
        var clock = Stopwatch.StartNew();
        var result = OnnxImporter.Import(bytes, "dup.onnx", null);
        clock.Stop();

        Assert.IsNull(result.Value);
        var invalid = result.Diagnostics.Where(d => d.Code == OnnxDiagnostics.InvalidGraph.Code).ToList();
        Assert.HasCount(OnnxImporter.MaxDiagnosticsPerCode + 1, invalid, string.Join("\n", result.Diagnostics.Take(5)));
        Assert.IsLessThanOrEqualTo(21, result.Diagnostics.Count);
        StringAssert.Contains(invalid[0].Message, "'y' is defined more than once (node 'relu1')");
        StringAssert.Contains(invalid[^1].Message, "… and 980 more EMC0110 errors");
        Assert.AreEqual(DiagnosticSeverity.Error, invalid[^1].Severity);
        Assert.AreEqual("dup.onnx", invalid[^1].File);

        // Generous bound: a linear pass over 1,000 nodes takes about a millisecond; a quadratic one or one diagnostic
        // per node formatted and kept took hundreds.
        Assert.IsLessThan(2_000, clock.ElapsedMilliseconds, $"{clock.ElapsedMilliseconds} ms");
    }

    [TestMethod]
    public void The_cap_counts_per_code_and_severity_and_keeps_errors_visible()
    {
        var bag = new DiagnosticBag(2);
        var warning = new DiagnosticDescriptor("EMC0999", DiagnosticSeverity.Warning, "w");
        for (int i = 0; i < 5; i++)
        {
            bag.Add(warning.Create($"w{i}"));
        }

        Assert.IsFalse(bag.HasErrors);
        bag.Add(warning.Create("e") with { Severity = DiagnosticSeverity.Error });
        Assert.IsTrue(bag.HasErrors);
        bag.Summarize("f.onnx");
        CollectionAssert.AreEqual(new[] { "w0", "w1", "e", "… and 3 more EMC0999 warnings (only the first 2 are listed)" },
            bag.Select(d => d.Message).ToArray());
    }
}
