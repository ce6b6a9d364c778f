using Emc.Build.Tests.Support;
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
        Assert.IsTrue(ReportedDiagnostic.TryParse(line, out var parsed), line);
        Assert.AreEqual("warning", parsed!.Category);
        Assert.AreEqual("EMC0101", parsed.Code);
        Assert.AreEqual("/m/a : b (1).onnx", parsed.File);
        Assert.AreEqual("operator X\\nis odd (node 'n1', op X)", parsed.Message);
        Assert.IsTrue(ReportedDiagnostic.TryParse(CanonicalLine.Format(d, treatWarningsAsErrors: true, "/f"), out parsed));
        Assert.AreEqual("error", parsed!.Category, "EmcTreatWarningsAsErrors is applied by the tool");
        Assert.IsFalse(ReportedDiagnostic.TryParse("Emc: compiling /m/a.onnx", out _));
    }

    [TestMethod]
    public void OnlyACategoryAndAFourDigitEmcCodeMakeALineADiagnostic()
    {
        Assert.IsTrue(ReportedDiagnostic.TryParse(" : info EMC0602: note", out var noFile));
        Assert.AreEqual("", noFile!.File);
        Assert.AreEqual("note", noFile.Message);
        Assert.IsTrue(ReportedDiagnostic.TryParse("/a : x : warning EMC0001: : error EMC0002: m", out var first));
        Assert.AreEqual("/a : x", first!.File, "the file ends at the first ' : ' a category and code follow");
        Assert.AreEqual(": error EMC0002: m", first.Message);

        foreach (string other in new[]
                 {
                     "/a : fatal EMC0101: m", "/a : error EMC101: m", "/a : error EMC01011: m", "/a : error CS0101: m",
                     "/a : error EMC0101 m", "/a: error EMC0101: m", "/a : error EMC0101:", "   at Emc.Build.Tool.ToolHost.Run()",
                 })
        {
            Assert.IsFalse(ReportedDiagnostic.TryParse(other, out _), other);
        }
    }

    [TestMethod]
    public void TheDiagnosticsFileReadsBackEveryDiagnosticWithItsOwnSeverity()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "net.diagnostics");
        File.WriteAllBytes(path, DiagnosticsFileWriter.Serialize(
        [
            new Diagnostic("EMC0602", DiagnosticSeverity.Warning, "no dataset\nat all"),
            new Diagnostic("EMC0301", DiagnosticSeverity.Info, "fused", "/m/other.onnx", "conv 1"),
        ], "/m/net.onnx"));

        var read = DiagnosticsFile.Read(path);

        Assert.HasCount(2, read);
        Assert.AreEqual(("warning", "EMC0602", "/m/net.onnx", "no dataset\\nat all"), (read[0].Category, read[0].Code, read[0].File, read[0].Message));
        Assert.AreEqual(("info", "EMC0301", "/m/other.onnx", "fused (node 'conv 1')"), (read[1].Category, read[1].Code, read[1].File, read[1].Message));
    }

    [TestMethod]
    public void ADiagnosticsFileInAnotherFormatReplaysNothing()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "net.diagnostics");
        File.WriteAllText(path, "[{\"Code\":\"EMC0602\",\"Severity\":1,\"Message\":\"m\"}]\n/m/net.onnx : warning EMC0602: m\n");

        Assert.IsEmpty(DiagnosticsFile.Read(path), "an older JSON file (the task assembly changed, so the model recompiles anyway)");
        Assert.IsEmpty(DiagnosticsFile.Read(Path.Combine(temp.Path, "missing.diagnostics")));
    }

    [TestMethod]
    public void AnUnusableCommandLineIsACodedErrorAndExitCode2()
    {
        var output = new StringWriter();

        int exit = ToolHost.Run(["--bogus"], new KmodelCompilerAdapter(), output);

        Assert.AreEqual(2, exit);
        Assert.IsTrue(ReportedDiagnostic.TryParse(output.ToString().Trim(), out var reported));
        Assert.AreEqual("error", reported!.Category);
        Assert.AreEqual("EMC0806", reported.Code);
        StringAssert.Contains(reported.Message, "--bogus");
    }
}
