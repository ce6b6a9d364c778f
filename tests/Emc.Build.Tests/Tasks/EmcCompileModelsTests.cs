extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tests.Support;
using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>The resolve and compile tasks driven directly with a fake build engine and scripted compilers.</summary>
[TestClass]
public sealed class EmcCompileModelsTests
{
    [TestMethod]
    public void SuccessWritesEveryOutputAndAFailureLaterRemovesThemAll()
    {
        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out _);
        var engine = new FakeBuildEngine();
        var task = new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new FakeCompiler.FakeModelCompiler() };
        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        foreach (string name in new[] { "KmodelFile", "HeaderFile", "CSharpFile", "ReportFile", "MarkerFile" })
        {
            Assert.IsTrue(File.Exists(model.GetMetadata(name)), name);
        }

        var failing = new ScriptedCompiler(_ => new CompileResult(null, null, null,
            [new Diagnostic("EMC0501", DiagnosticSeverity.Error, "Conv 'c1' (opset 11): kernel 5x5 exceeds the KPU's 3x3", null, "c1", "Conv")]));
        engine = new FakeBuildEngine();
        task = new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = failing };
        Assert.IsFalse(task.Execute());
        Assert.HasCount(1, engine.Errors);
        Assert.AreEqual("EMC0501", engine.Errors[0].Code);
        Assert.AreEqual(model.ItemSpec, engine.Errors[0].File, "the model's full path is the error's file");
        foreach (string name in new[] { "KmodelFile", "HeaderFile", "CSharpFile", "ReportFile", "MarkerFile" })
        {
            Assert.IsFalse(File.Exists(model.GetMetadata(name)), name + " must not survive a failed compile");
        }
    }

    [TestMethod]
    public void ACompilerExceptionBecomesACodedErrorNotMsb4018()
    {
        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out _);
        var engine = new FakeBuildEngine();
        var task = new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new ScriptedCompiler(_ => throw new InvalidOperationException("boom")) };
        Assert.IsFalse(task.Execute());
        Assert.AreEqual("EMC0807", engine.Errors.Single().Code);
        StringAssert.Contains(engine.Errors[0].Message, "boom");
    }

    [TestMethod]
    public void NodeNamesWithNewlinesGiveOneLineMessagesAndWarningsCanBeErrors()
    {
        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out _);
        var inner = new FakeCompiler.FakeModelCompiler();
        var warning = new ScriptedCompiler(o =>
        {
            var ok = inner.Compile(o.Path, o.Options);
            return ok with { Diagnostics = [new Diagnostic("EMC0601", DiagnosticSeverity.Warning, "low accuracy", null, "a\nb", "Relu")] };
        });
        var engine = new FakeBuildEngine();
        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = warning }.Execute());
        Assert.AreEqual($"EmcModel '{model.GetMetadata("SourceItem")}' (net): low accuracy (node 'a\\nb', op Relu)", engine.Warnings.Single().Message);

        engine = new FakeBuildEngine();
        Assert.IsFalse(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = warning, TreatWarningsAsErrors = true }.Execute());
        Assert.AreEqual("EMC0601", engine.Errors.Single().Code);
        Assert.IsFalse(File.Exists(model.GetMetadata("KmodelFile")), "a warning-as-error fails the model");
    }

    [TestMethod]
    public void BadMetadataAndDuplicateNamesAreCodedErrorsOnTheProject()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("a.onnx"), SampleModels.TinyCnn());
        Directory.CreateDirectory(dir.File("sub"));
        File.WriteAllBytes(dir.File("sub/a.onnx"), SampleModels.TinyCnn());
        var bad = new TaskItem(dir.File("a.onnx"));
        bad.SetMetadata("InputRange", "1,0");
        bad.SetMetadata("ChannelOrder", "GBR");
        var engine = new FakeBuildEngine();
        var task = new EmcResolveModels
        {
            BuildEngine = engine,
            Models = [bad, new TaskItem(dir.File("sub/a.onnx")), new TaskItem(dir.File("missing.onnx"))],
            OutputDirectory = dir.File("obj/emc"),
            ProjectDirectory = dir.Path,
            ProjectFile = dir.File("app.csproj"),
        };
        Assert.IsFalse(task.Execute());
        var codes = engine.Errors.Select(e => e.Code).OrderBy(c => c).ToList();
        CollectionAssert.AreEqual(new[] { "EMC0801", "EMC0801", "EMC0802", "EMC0803" }, codes);
        Assert.IsTrue(engine.Errors.All(e => e.File == dir.File("app.csproj")));
    }

    [TestMethod]
    public void OptionsStampIsRewrittenOnlyWhenOptionsChange()
    {
        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out var item);
        string stamp = model.GetMetadata("OptionsFile");
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(stamp, old);
        Resolve(dir, "net.onnx", null, out _, item);
        Assert.AreEqual(old, File.GetLastWriteTimeUtc(stamp), "same options: stamp untouched");
        item.SetMetadata("InputRange", "-1,1");
        Resolve(dir, "net.onnx", null, out _, item);
        Assert.AreNotEqual(old, File.GetLastWriteTimeUtc(stamp));
        StringAssert.Contains(File.ReadAllText(stamp), "inputRange=-1,1");
    }

    private static Microsoft.Build.Framework.ITaskItem Resolve(TempDirectory dir, string name, byte[]? onnx, out TaskItem item, TaskItem? existing = null)
    {
        if (onnx is not null)
        {
            File.WriteAllBytes(dir.File(name), onnx);
        }

        item = existing ?? new TaskItem(dir.File(name));
        item.SetMetadata("GenerateCSharp", "true");
        var engine = new FakeBuildEngine();
        var task = new EmcResolveModels
        {
            BuildEngine = engine,
            Models = [item],
            OutputDirectory = dir.File("obj/emc"),
            ProjectDirectory = dir.Path,
            DefaultNamespace = "Tests",
        };
        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        return task.ResolvedModels.Single();
    }

    private sealed class ScriptedCompiler(Func<(string Path, CompileOptions Options), CompileResult> compile) : IModelCompiler
    {
        public CompileResult Compile(string onnxPath, CompileOptions options) => compile((onnxPath, options));
    }
}
