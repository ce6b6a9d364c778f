using Emc.Diagnostics;

namespace Emc.Core.Tests;

[TestClass]
public sealed class DiagnosticTests
{
    [TestMethod]
    public void ErrorPrintsInMsBuildCanonicalFormat()
    {
        var descriptor = new DiagnosticDescriptor("EMC0101", DiagnosticSeverity.Error, "Unsupported operator");
        var d = descriptor.Create("node 'conv5' (Conv5x5): kernel 5x5 exceeds the KPU limit of 3x3", "/m/net.onnx", "conv5", "Conv");

        Assert.AreEqual("/m/net.onnx: error EMC0101: node 'conv5' (Conv5x5): kernel 5x5 exceeds the KPU limit of 3x3", d.ToString());
        Assert.IsTrue(d.IsError);
    }

    [TestMethod]
    public void WarningWithoutFileUsesToolName()
    {
        var d = new Diagnostic("EMC0600", DiagnosticSeverity.Warning, "no dataset");
        Assert.AreEqual("emc: warning EMC0600: no dataset", d.ToString());
    }

    [TestMethod]
    public void ResultHasNoValueWhenAnyErrorWasReported()
    {
        var warning = new Diagnostic("EMC0600", DiagnosticSeverity.Warning, "w");
        var error = new Diagnostic("EMC0100", DiagnosticSeverity.Error, "e");

        Assert.IsTrue(new Result<string>("x", [warning]).Succeeded);
        Assert.IsNull(new Result<string>("x", [warning, error]).Value);
    }

    [TestMethod]
    public void BagCollectsAndReportsErrors()
    {
        var bag = new DiagnosticBag { new Diagnostic("EMC0600", DiagnosticSeverity.Warning, "w") };
        Assert.IsFalse(bag.HasErrors);
        bag.Add(new Diagnostic("EMC0100", DiagnosticSeverity.Error, "e"));
        Assert.IsTrue(bag.HasErrors);
        Assert.AreEqual(2, bag.Count);
    }
}
