extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tests.Support;
using Emc.Build.Tool;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>The tool's <c>--design-time</c> mode: wrappers from the graph's inputs and outputs, nothing compiled.</summary>
[TestClass]
public sealed class DesignTimeWrapperToolTests
{
    [TestMethod]
    public void ItWritesAPlaceholderKeepsAMatchingWrapperAndNeverCompiles()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("net.onnx"), SampleModels.TinyCnn());
        var model = Resolve(dir, "net.onnx", ("GenerateCSharp", "true"));
        string wrapper = model.GetMetadata(ModelMetadata.CSharpFile);

        var output = new StringWriter();
        Assert.AreEqual(0, Run(dir, [model], output, new NoCompiler()));

        string placeholder = File.ReadAllText(wrapper);
        StringAssert.Contains(placeholder, "Design-time placeholder");
        StringAssert.Contains(placeholder, "public static partial class Net");
        Assert.IsFalse(File.Exists(model.GetMetadata(ModelMetadata.KmodelFile)));

        // A wrapper whose signature line still matches (as a real build writes it) is kept byte for byte.
        string kept = placeholder.Split('\n')[0] + "\n// real wrapper\n";
        File.WriteAllText(wrapper, kept);
        Assert.AreEqual(0, Run(dir, [model], new StringWriter(), new NoCompiler()));
        Assert.AreEqual(kept, File.ReadAllText(wrapper));
    }

    [TestMethod]
    public void AnUnreadableModelIsAWarningAndModelsWithoutWrappersAreLeftAlone()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("net.onnx"), SampleModels.TinyCnn());
        File.WriteAllBytes(dir.File("c.onnx"), SampleModels.TinyCnn());
        var broken = Resolve(dir, "net.onnx", ("GenerateCSharp", "true"));
        var headerOnly = Resolve(dir, "c.onnx");
        File.WriteAllText(dir.File("net.onnx"), "not protobuf");

        var output = new StringWriter();
        Assert.AreEqual(0, Run(dir, [broken, headerOnly], output, new NoCompiler()));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.IsTrue(lines.All(l => ReportedDiagnostic.TryParse(l.TrimEnd('\r'), out var d) && d!.Category != "error"), output.ToString());
        Assert.IsTrue(lines.Any(l => l.Contains("EMC0812", StringComparison.Ordinal)), output.ToString());
        Assert.IsFalse(File.Exists(broken.GetMetadata(ModelMetadata.CSharpFile)));
        Assert.IsFalse(File.Exists(headerOnly.GetMetadata(ModelMetadata.CSharpFile)));
    }

    private static int Run(TempDirectory dir, Microsoft.Build.Framework.ITaskItem[] models, StringWriter output, IModelCompiler compiler)
    {
        string request = dir.File("request.rsp");
        File.WriteAllText(request, new ModelRequest(false, false, [.. models.Select(m => m.ToToolModelItem())]).Format());
        return ToolHost.Run(["--design-time", "@" + request], compiler, output);
    }

    private static Microsoft.Build.Framework.ITaskItem Resolve(TempDirectory dir, string name, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(dir.File(name));
        foreach (var (key, value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        var engine = new FakeBuildEngine();
        var task = new EmcResolveModels { BuildEngine = engine, Models = [item], OutputDirectory = dir.File("emc"), ProjectDirectory = dir.Path, DefaultNamespace = "Tests" };
        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        return task.ResolvedModels.Single();
    }

    private sealed class NoCompiler : IModelCompiler
    {
        public Emc.Compiler.Compilation.CompileResult Compile(string onnxPath, Emc.Compiler.Compilation.CompileOptions options) =>
            throw new AssertFailedException("the design-time mode must not compile");
    }
}
