using Emc.Compiler.Import;
using Emc.Compiler.Tests.Compilation;
using Emc.Tests;

namespace Emc.Compiler.Tests.Docs;

/// <summary>Issue 14 item 12: the example line in docs/errors.md is the message the compiler really prints.</summary>
[TestClass]
public sealed class ErrorsDocExampleTests
{
    [TestMethod]
    public void UnsupportedOperatorExampleMatchesTheRealMessage()
    {
        string doc = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "docs", "errors.md"))
            .Single(l => l.Contains(": error EMC0101: ", StringComparison.Ordinal));
        string documented = doc[(doc.IndexOf("EMC0101: ", StringComparison.Ordinal) + "EMC0101: ".Length)..];

        var b = new OnnxNetBuilder("x", 1, 1, 4, 4);
        var model = b.Build(b.Node("Erf", ["x"]));
        model.Graph.Node[0].Name = "bad_erf";
        model.OpsetImport[0].Version = 11;
        var error = OnnxImporter.Import(model, "/src/app/models/net.onnx").Diagnostics.Single(d => d.Code == "EMC0101");

        Assert.AreEqual(documented, error.Message);
    }
}
