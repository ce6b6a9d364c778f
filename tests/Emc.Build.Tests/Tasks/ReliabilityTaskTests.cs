using Emc.Build.Tasks;
using Emc.Build.Tests.Support;
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
