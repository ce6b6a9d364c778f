using Emc.Compiler.CodeGen;

namespace Emc.Build.Tests.CodeGen;

[TestClass]
public sealed class CodeIdentifiersTests
{
    [TestMethod]
    [DataRow("my-net (1)", "my_net_1")]
    [DataRow("mobilenet_v1.0.25", "mobilenet_v1_0_25")]
    [DataRow("1st model", "_1st_model")]
    [DataRow("日本語", "model")]
    [DataRow("café net", "caf_net")]
    [DataRow("int", "int_")]
    [DataRow("class", "class_")]
    [DataRow("a*/b\"c\nd", "a_b_c_d")]
    [DataRow("", "model")]
    public void SanitizeGivesIdentifiersValidInCAndCSharp(string input, string expected)
    {
        string id = CodeIdentifiers.Sanitize(input);
        Assert.AreEqual(expected, id);
        Assert.IsTrue(System.Text.RegularExpressions.Regex.IsMatch(id, "^[A-Za-z_][A-Za-z0-9_]*$"), id);
    }

    [TestMethod]
    public void NamespacesKeepDotsAndSanitizeEachPart() =>
        Assert.AreEqual("My_App.Models_1", CodeIdentifiers.SanitizeNamespace("My-App..Models 1"));

    [TestMethod]
    [DataRow("a\"b", "\"a\\042b\"")]
    [DataRow("x*/y", "\"x*/y\"")]
    [DataRow("??=", "\"\\077\\077=\"")]
    [DataRow("é", "\"\\303\\251\"")]
    [DataRow("l1\nl2", "\"l1\\012l2\"")]
    public void CLiteralsEscapeEverythingButPlainAscii(string text, string expected) =>
        Assert.AreEqual(expected, SourceLiterals.C(text));

    [TestMethod]
    public void CommentsCannotBeClosedOrBroken() =>
        Assert.AreEqual("a*\\/b?c", SourceLiterals.Comment("a*/b\nc"));
}
