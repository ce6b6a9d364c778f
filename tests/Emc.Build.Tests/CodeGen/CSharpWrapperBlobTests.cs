using System.Text.RegularExpressions;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Tests;

namespace Emc.Build.Tests.CodeGen;

/// <summary>Issue 15 item 10: the wrapper carries the kmodel as one base64 u8 literal, cheap for csc.</summary>
[TestClass]
public sealed class CSharpWrapperBlobTests
{
    internal static string Wrapper(byte[] kmodel, bool utf8Literal = true)
    {
        var io = new ModelInterface(
            [new TensorInterface("x", [1, 4], InterfaceElementType.Float32, 1, 0)],
            [new TensorInterface("y", [1, 3], InterfaceElementType.Float32, 1, 0)]);
        var facts = GeneratedModelReader.Describe("iris", "iris.onnx", kmodel, io, null).Value!;
        return CSharpWrapperGenerator.Generate(facts, new CSharpWrapperOptions("Tests", "Iris", null, Public: true, Utf8Literal: utf8Literal));
    }

    [TestMethod]
    public void KmodelIsOneBase64Utf8LiteralThatDecodesToTheFile()
    {
        byte[] kmodel = File.ReadAllBytes(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel"));

        string code = Wrapper(kmodel);

        var literal = Regex.Match(code, "DecodeFromUtf8\\(\"([A-Za-z0-9+/=]*)\"u8");
        Assert.IsTrue(literal.Success, "one u8 literal");
        CollectionAssert.AreEqual(kmodel, Convert.FromBase64String(literal.Groups[1].Value));
        Assert.IsFalse(code.Contains("0x03,", StringComparison.Ordinal), "no per-byte initializer");
        Assert.IsTrue(code.Length < (kmodel.Length * 2) + 8192, "about 4/3 of the kmodel, not 6×");
    }

    /// <summary>Issue 14 item 6: LangVersion 8–10 has no u8 literals; the same base64 goes in an ordinary string.</summary>
    [TestMethod]
    public void WithoutUtf8LiteralsTheKmodelIsAnOrdinaryBase64String()
    {
        byte[] kmodel = File.ReadAllBytes(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel"));

        string code = Wrapper(kmodel, utf8Literal: false);

        var literal = Regex.Match(code, "FromBase64String\\(\"([A-Za-z0-9+/=]*)\"\\)");
        Assert.IsTrue(literal.Success, "one string literal");
        CollectionAssert.AreEqual(kmodel, Convert.FromBase64String(literal.Groups[1].Value));
        Assert.DoesNotContain("\"u8", code);
    }
}
