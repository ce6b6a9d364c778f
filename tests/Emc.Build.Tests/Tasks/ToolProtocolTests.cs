using Emc.Build.Tool;
using Emc.Diagnostics;

namespace Emc.Build.Tests.Tasks;

/// <summary>What crosses the process boundary between the task and the compiler tool: request, output lines, result file.</summary>
[TestClass]
public sealed class ToolProtocolTests
{
    [TestMethod]
    public void TheRequestCarriesEveryMetadataValueExactlyEvenWithNewlinesBackslashesAndEquals()
    {
        var item = new ModelItem("/models/my net (1)\\x.onnx");
        item.SetMetadata("Namespace", "A.B");
        item.SetMetadata("Dataset", "calib\\n;raw\nnext=1\\");
        item.SetMetadata("Mean", "");

        var parsed = ModelRequest.Parse(new ModelRequest(true, false, [item]).Format(), out string? error);

        Assert.IsNotNull(parsed, error);
        Assert.IsTrue(parsed.TreatWarningsAsErrors);
        Assert.IsFalse(parsed.ReplayDiagnostics);
        var model = parsed.Models.Single();
        Assert.AreEqual(item.ItemSpec, model.ItemSpec);
        Assert.AreEqual("calib\\n;raw\nnext=1\\", model.GetMetadata("Dataset"));
        Assert.AreEqual("A.B", model.GetMetadata("Namespace"));
        Assert.AreEqual("", model.GetMetadata("Mean"));
    }

    [TestMethod]
    public void ARequestFromSomethingElseIsRefused()
    {
        Assert.IsNull(ModelRequest.Parse("model /a.onnx\n", out string? error));
        StringAssert.Contains(error, "emc-compile 1");
        Assert.IsNull(ModelRequest.Parse("emc-compile 1\nrm -rf /\n", out error));
        StringAssert.Contains(error, "unexpected request line");
    }

    [TestMethod]
    public void ADiagnosticLineParsesBackToItsCodeFileAndOneLineMessage()
    {
        var d = new Diagnostic("EMC0101", DiagnosticSeverity.Warning, "operator X\nis odd", "/m/a : b (1).onnx", "n1", "X");

        string line = CanonicalLine.Format(d, treatWarningsAsErrors: false, "/fallback.onnx");

        Assert.DoesNotContain("\n", line);
        Assert.IsTrue(CanonicalLine.TryParse(line, out string category, out string code, out string file, out string message), line);
        Assert.AreEqual("warning", category);
        Assert.AreEqual("EMC0101", code);
        Assert.AreEqual("/m/a : b (1).onnx", file);
        Assert.AreEqual("operator X\\nis odd (node 'n1', op X)", message);
        Assert.IsTrue(CanonicalLine.TryParse(CanonicalLine.Format(d, treatWarningsAsErrors: true, "/f"), out category, out _, out _, out _));
        Assert.AreEqual("error", category, "EmcTreatWarningsAsErrors is applied by the tool");
        Assert.IsFalse(CanonicalLine.TryParse("Emc: compiling /m/a.onnx", out _, out _, out _, out _));
    }

    [TestMethod]
    public void AnUnusableCommandLineIsACodedErrorAndExitCode2()
    {
        var output = new StringWriter();

        int exit = ToolHost.Run(["--bogus"], new KmodelCompilerAdapter(), output);

        Assert.AreEqual(2, exit);
        Assert.IsTrue(CanonicalLine.TryParse(output.ToString().Trim(), out string category, out string code, out _, out string message));
        Assert.AreEqual("error", category);
        Assert.AreEqual("EMC0806", code);
        StringAssert.Contains(message, "--bogus");
    }
}
