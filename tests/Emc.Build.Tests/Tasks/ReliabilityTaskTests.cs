extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tests.Support;
using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Emc.Tests.Shared;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>Issue 15: the tasks facing special files, inputs changed during a compile and unwritable outputs.</summary>
[TestClass]
public sealed class ReliabilityTaskTests
{
    [TestMethod]
    [Timeout(60000)]
    public void DatasetFolderLinksAreNotFollowedAndFifosAreSkipped()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("data/sub"));
        File.WriteAllBytes(dir.File("data/one.npy"), [1]);
        SpecialFiles.MakeFifo(dir.File("data/a.png"));
        SpecialFiles.Link(dir.File("data/sub/a"), "..");
        SpecialFiles.Link(dir.File("data/sub/b"), "..");
        SpecialFiles.Link(dir.File("data/sub/loop"), "..");

        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out _, dataset: "data");

        Assert.AreEqual(dir.File("data/one.npy"), model.GetMetadata("DatasetFiles"));
    }

    [TestMethod]
    public void ModelSavedDuringTheCompileIsNotUpToDate()
    {
        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out var item);
        var inner = new FakeCompiler.FakeModelCompiler();
        var saving = new ScriptedCompiler(o =>
        {
            var result = inner.Compile(o.Path, o.Options);
            File.AppendAllText(o.Path, " ");  // the user saves the model while it compiles
            return result;
        });
        var engine = new FakeBuildEngine();
        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = saving }.Execute());
        string marker = model.GetMetadata("MarkerFile");
        Assert.IsTrue(File.Exists(marker));
        Assert.IsTrue(File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(model.ItemSpec), "MSBuild alone would call it up to date");

        Resolve(dir, "net.onnx", null, out _, item);

        Assert.IsFalse(File.Exists(marker), "the marker records the model as read before the compile");
    }

    [TestMethod]
    public void ReplacementWithAnOlderTimestampIsNoticed()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("data.npy"), [1, 2, 3]);
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out var item, dataset: "data.npy");
        var engine = new FakeBuildEngine();
        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new FakeCompiler.FakeModelCompiler() }.Execute());
        string marker = model.GetMetadata("MarkerFile");

        Resolve(dir, "net.onnx", null, out _, item, dataset: "data.npy");
        Assert.IsTrue(File.Exists(marker), "unchanged inputs keep the model up to date");

        // cp -p of a different dataset file: older than the marker.
        File.WriteAllBytes(dir.File("data.npy"), [4, 5, 6]);
        File.SetLastWriteTimeUtc(dir.File("data.npy"), DateTime.UtcNow.AddDays(-3));
        Resolve(dir, "net.onnx", null, out _, item, dataset: "data.npy");
        Assert.IsFalse(File.Exists(marker), "a dataset replaced by an older file");

        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new FakeCompiler.FakeModelCompiler() }.Execute());
        File.WriteAllBytes(dir.File("net.onnx"), [.. SampleModels.TinyCnn(), 0]);
        File.SetLastWriteTimeUtc(dir.File("net.onnx"), DateTime.UtcNow.AddDays(-3));
        Resolve(dir, "net.onnx", null, out _, item, dataset: "data.npy");
        Assert.IsFalse(File.Exists(marker), "a model replaced by an older file");
    }

    [TestMethod]
    public void UndeletableOutputsAfterAFailureAreACodedErrorNotMsb4018()
    {
        // A file nobody (not even root) can delete stands in for a read-only obj/emc folder.
        const string undeletable = "/proc/version";
        if (!File.Exists(undeletable))
        {
            Assert.Inconclusive("needs /proc");
        }

        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out _);
        model.SetMetadata("KmodelFile", undeletable);
        var engine = new FakeBuildEngine();
        var task = new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new FakeCompiler.FakeModelCompiler() };

        Assert.IsFalse(task.Execute());

        Assert.IsTrue(engine.Errors.Count > 0);
        Assert.IsTrue(engine.Errors.All(e => e.Code == "EMC0805"), string.Join("\n", engine.Errors.Select(e => e.Code + " " + e.Message)));
        Assert.IsTrue(engine.Errors.Any(e => e.Message?.Contains("cannot remove the outputs", StringComparison.Ordinal) == true));
    }

    [TestMethod]
    [Timeout(60000)]
    public void OutputsAreWrittenThroughLinksAndSpecialFilesAreNotReplaced()
    {
        using var dir = new TempDirectory();
        var model = Resolve(dir, "net.onnx", SampleModels.TinyCnn(), out _);
        string kmodel = model.GetMetadata("KmodelFile");
        Directory.CreateDirectory(Path.GetDirectoryName(kmodel)!);
        File.WriteAllText(dir.File("elsewhere.kmodel"), "old");
        SpecialFiles.Link(kmodel, dir.File("elsewhere.kmodel"));
        var engine = new FakeBuildEngine();

        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new FakeCompiler.FakeModelCompiler() }.Execute(),
            string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.IsNotNull(new FileInfo(kmodel).LinkTarget, "the link stays a link");
        Assert.AreNotEqual("old", File.ReadAllText(dir.File("elsewhere.kmodel")));

        if (!SpecialFiles.Supported)
        {
            return;
        }

        string header = model.GetMetadata("HeaderFile");
        File.Delete(header);
        SpecialFiles.MakeFifo(header);
        engine = new FakeBuildEngine();
        Assert.IsFalse(new InProcessCompile { BuildEngine = engine, Models = [model], Compiler = new FakeCompiler.FakeModelCompiler() }.Execute());
        Assert.IsTrue(engine.Errors.Any(e => e.Code == "EMC0805" && e.Message?.Contains("FIFO", StringComparison.Ordinal) == true),
            string.Join("\n", engine.Errors.Select(e => e.Code + " " + e.Message)));
        Assert.AreEqual(Emc.IO.FileKind.Fifo, Emc.IO.SafeFile.KindOf(header), "the FIFO is not replaced");
    }

    private static FakeBuildEngine ResolveAll(TempDirectory dir, params (string Name, string CSharp)[] models)
    {
        var items = new List<ITaskItem>();
        foreach (var (name, csharp) in models)
        {
            File.WriteAllBytes(dir.File(name), SampleModels.TinyCnn());
            var item = new TaskItem(dir.File(name));
            item.SetMetadata("GenerateCSharp", csharp);
            items.Add(item);
        }

        var engine = new FakeBuildEngine();
        new EmcResolveModels
        {
            BuildEngine = engine,
            Models = [.. items],
            OutputDirectory = dir.File("obj/emc"),
            ProjectDirectory = dir.Path,
            ProjectFile = dir.File("app.csproj"),
            DefaultNamespace = "Tests",
        }.Execute();
        return engine;
    }

    [TestMethod]
    public void TwoModelsWithOneClassNameAreAnEmcErrorNotCs0102()
    {
        using var dir = new TempDirectory();
        var engine = ResolveAll(dir, ("my-net.onnx", "true"), ("MyNet.onnx", "true"));

        var error = engine.Errors.Single();
        Assert.AreEqual("EMC0813", error.Code);
        StringAssert.Contains(error.Message, "Tests.MyNet");

        using var other = new TempDirectory();
        Assert.AreEqual(0, ResolveAll(other, ("my-net.onnx", "false"), ("MyNet.onnx", "false")).Errors.Count, "no C#: no clash");
    }

    [TestMethod]
    [DataRow("stdint.onnx")]
    [DataRow("STDIO.onnx")]
    [DataRow("kpu.onnx")]
    public void HeaderNamedLikeASystemHeaderIsAnEmcError(string name)
    {
        using var dir = new TempDirectory();
        var error = ResolveAll(dir, (name, "false")).Errors.Single();

        Assert.AreEqual("EMC0814", error.Code);
        StringAssert.Contains(error.Message, "OutputName");
    }

    [TestMethod]
    public void ExternalDataReplacedByAnOlderFileIsNoticed()
    {
        using var dir = new TempDirectory();
        var model = Emc.Onnx.Protobuf.ModelProto.Parser.ParseFrom(SampleModels.TinyCnn());
        var w = model.Graph.Initializer[0];
        File.WriteAllBytes(dir.File("w.bin"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(w.FloatData.ToArray().AsSpan()).ToArray());
        w.FloatData.Clear();
        w.DataLocation = Emc.Onnx.Protobuf.TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new Emc.Onnx.Protobuf.StringStringEntryProto { Key = "location", Value = "w.bin" });
        var resolved = Resolve(dir, "net.onnx", Google.Protobuf.MessageExtensions.ToByteArray(model), out var item);
        var engine = new FakeBuildEngine();
        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [resolved], Compiler = new FakeCompiler.FakeModelCompiler() }.Execute(),
            string.Join("\n", engine.Errors.Select(e => e.Message)));
        string marker = resolved.GetMetadata("MarkerFile");
        StringAssert.Contains(File.ReadAllText(marker), dir.File("w.bin"));
        Resolve(dir, "net.onnx", null, out _, item);
        Assert.IsTrue(File.Exists(marker), "unchanged");

        byte[] changed = File.ReadAllBytes(dir.File("w.bin"));
        changed[0] ^= 1;
        File.WriteAllBytes(dir.File("w.bin"), changed);
        File.SetLastWriteTimeUtc(dir.File("w.bin"), DateTime.UtcNow.AddDays(-3));
        Resolve(dir, "net.onnx", null, out _, item);

        Assert.IsFalse(File.Exists(marker), "the external data changed");
    }

    internal static ITaskItem Resolve(TempDirectory dir, string name, byte[]? onnx, out TaskItem item, TaskItem? existing = null, string? dataset = null)
    {
        if (onnx is not null)
        {
            File.WriteAllBytes(dir.File(name), onnx);
        }

        item = existing ?? new TaskItem(dir.File(name));
        if (dataset is not null)
        {
            item.SetMetadata("Dataset", dataset);
        }

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

    internal sealed class ScriptedCompiler(Func<(string Path, CompileOptions Options), CompileResult> compile) : IModelCompiler
    {
        public CompileResult Compile(string onnxPath, CompileOptions options) => compile((onnxPath, options));
    }
}
