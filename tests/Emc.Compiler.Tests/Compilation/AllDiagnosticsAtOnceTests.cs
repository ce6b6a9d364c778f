using Emc.Compiler.Compilation;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>An import error does not hide the lowering errors of the nodes that did import (issue 16, item 9).</summary>
[TestClass]
public sealed class AllDiagnosticsAtOnceTests
{
    [TestMethod]
    public void ModelWithThreeProblemsShowsThree()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        var random = new Random(2);
        float[] W(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        string conv = b.Conv("x", W(4 * 3 * 3 * 3), W(4), 4, 3, 3, 1, [1, 1, 1, 1]);
        string unsupported = b.Node("Hardmax", [conv]);                                  // import: EMC0101
        string softmax = b.Node("Softmax", [conv], ("axis", 1));                          // lowering: EMC0505 (not one vector)
        string perElement = b.Node("Mul", [conv, b.Constant(W(16 * 16), 1, 1, 16, 16)]); // lowering: EMC0501
        string path = Path.Combine(Path.GetTempPath(), $"emc-three-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, b.Build(unsupported, softmax, perElement).ToByteArray());
        try
        {
            var errors = KmodelCompiler.Compile(path, new CompileOptions()).Diagnostics.Where(d => d.IsError).ToList();
            var text = string.Join(Environment.NewLine, errors);
            Assert.IsTrue(errors.Any(d => d.Code == "EMC0101" && d.OpType == "Hardmax"), text);
            Assert.IsTrue(errors.Any(d => d.Code == "EMC0505" && d.NodeName == softmax + "_node"), text);
            Assert.IsTrue(errors.Any(d => d.Code == "EMC0501" && d.NodeName == perElement + "_node"), text);
            Assert.HasCount(3, errors, text);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
