extern alias tasks;

using System.Reflection;
using tasks::Emc.Build.Tasks;
using Emc.Build.Tests.Support;
using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Build.Tests.Tasks;

/// <summary>
/// The task reports its own errors without compiler code (issue 12): the codes and the one-line escaping must stay
/// those of the tool's descriptors (docs/errors.md lists the descriptors).
/// </summary>
[TestClass]
public sealed class TaskProblemsTests
{
    [TestMethod]
    public void EveryTaskCodeIsTheCodeOfTheToolsDescriptorOfTheSameName()
    {
        // The build integration's own descriptors first; the compiler's only for names they do not use (DatasetFile).
        var descriptors = typeof(BuildDiagnostics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(CompilerDiagnostics).GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .GroupBy(f => f.Name)
            .ToDictionary(g => g.Key, g => ((DiagnosticDescriptor)g.First().GetValue(null)!).Code);
        var codes = typeof(TaskCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();

        Assert.IsGreaterThan(10, codes.Count);
        foreach (var code in codes)
        {
            Assert.IsTrue(descriptors.TryGetValue(code.Name, out string? expected), code.Name + " has no descriptor in the tool");
            Assert.AreEqual(expected, (string)code.GetRawConstantValue()!, code.Name);
        }
    }

    [TestMethod]
    public void OneLineEscapesEveryCharacterLikeTheToolsDiagnostics()
    {
        for (int c = 0; c <= char.MaxValue; c++)
        {
            string text = "a" + (char)c + "b";
            Assert.AreEqual(DiagnosticText.Escape(text), TaskProblems.OneLine(text), "U+" + c.ToString("x4"));
        }
    }

    [TestMethod]
    public void AProblemIsLoggedAsAnErrorWithItsCodeFileAndOneLineMessage()
    {
        var engine = new FakeBuildEngine();
        var log = new Microsoft.Build.Utilities.TaskLoggingHelper(engine, "test");
        var problems = new TaskProblems();
        problems.Add(TaskCodes.InvalidMetadata, "bad\nvalue", null);
        problems.Add(TaskCodes.DatasetMissing, "missing", "/p/a\rb.csproj");

        problems.Log(log, "/p/app.csproj");

        Assert.HasCount(2, engine.Errors);
        Assert.AreEqual("EMC0801", engine.Errors[0].Code);
        Assert.AreEqual("bad\\nvalue", engine.Errors[0].Message);
        Assert.AreEqual("/p/app.csproj", engine.Errors[0].File);
        Assert.AreEqual("EMC0804", engine.Errors[1].Code);
        Assert.AreEqual("/p/a\\rb.csproj", engine.Errors[1].File);
    }
}
