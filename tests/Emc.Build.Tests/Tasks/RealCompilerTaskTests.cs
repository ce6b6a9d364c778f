extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tests.Support;
using Emc.Build.Tool;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>The compile task with the REAL compiler (in process, no dotnet build): the sample CNN and the unsupported-op model.</summary>
[TestClass]
[TestCategory(TestCategories.RealCompiler)]
public sealed class RealCompilerTaskTests
{
    [TestMethod]
    public void SampleCnnCompilesAndItsOutputsDescribeTheKmodel()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("net.onnx"), SampleModels.TinyCnn());
        var model = Resolve(dir, "net.onnx");
        var engine = new FakeBuildEngine();
        bool ok = new InProcessCompile { BuildEngine = engine, Models = [model] }.Execute();
        Assert.IsTrue(ok, string.Join("\n", engine.Errors.Select(e => e.Code + " " + e.Message)));

        byte[] kmodel = File.ReadAllBytes(model.GetMetadata("KmodelFile"));
        var file = KmodelReader.Read(kmodel).Value!;
        Assert.AreEqual(KmodelLayerType.K210Conv, file.Layers[0].Type, "a KPU-friendly CNN starts on the KPU");
        string header = File.ReadAllText(model.GetMetadata("HeaderFile"));
        StringAssert.Contains(header, $"#define NET_KMODEL_SIZE {kmodel.Length}u");
        StringAssert.Contains(header, $"#define NET_LAYER_COUNT {file.Layers.Count}u");
        StringAssert.Contains(header, "\"K210_CONV\", 1u, 4u, { 1u, 3u, 16u, 16u }");

        // The simulator runs it; softmax outputs are a distribution over the 4 classes.
        var input = new byte[3 * 16 * 16];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)(i * 7);
        }

        var result = KmodelSimulator.Simulate(file, input).Value!;
        float[] probabilities = result.Outputs[0].AsFloat32()!;
        Assert.HasCount(4, probabilities);
        Assert.AreEqual(1.0, probabilities.Sum(), 1e-3);
    }

    [TestMethod]
    public void UnsupportedOperatorsAreAllReportedWithNodeNames()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.onnx"), SampleModels.UnsupportedOps());
        var model = Resolve(dir, "bad.onnx");
        var engine = new FakeBuildEngine();
        Assert.IsFalse(new InProcessCompile { BuildEngine = engine, Models = [model] }.Execute());
        Assert.IsTrue(engine.Errors.All(e => e.File == model.ItemSpec && e.Code.StartsWith("EMC", StringComparison.Ordinal)));
        string all = string.Join("\n", engine.Errors.Select(e => e.Message));
        StringAssert.Contains(all, "bad_erf");
        StringAssert.Contains(all, "bad_sin");
        Assert.IsFalse(File.Exists(model.GetMetadata("KmodelFile")));
    }

    [TestMethod]
    public void ReportHtmlWritesTheHtmlPageInsteadOfTheJson()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("net.onnx"), SampleModels.TinyCnn());
        var model = Resolve(dir, "net.onnx", ("Report", "Html"));
        var engine = new FakeBuildEngine();
        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model] }.Execute(), string.Join("\n", engine.Errors.Select(e => e.Code + " " + e.Message)));

        string report = model.GetMetadata("ReportFile");
        StringAssert.EndsWith(report, ".report.html");
        string html = File.ReadAllText(report);
        StringAssert.StartsWith(html.TrimStart(), "<!DOCTYPE html>");
        StringAssert.Contains(html, "KPU conv");
        Assert.IsFalse(File.Exists(Path.ChangeExtension(report, ".json")), "no JSON report beside the HTML one");
    }

    /// <summary>Issue 16 item 8: Tail="Auto" on a classifier whose BatchNorm/Gemm/LogSoftmax tail the device cannot run puts
    /// that tail in the header and the wrapper as code.</summary>
    [TestMethod]
    public void TailAutoPutsTheCutTailInTheHeaderAndTheWrapper()
    {
        using var dir = new TempDirectory();
        File.Copy(TestData.Path("real-zoo", "burn-mnist", "model.onnx"), dir.File("mnist.onnx"));
        var model = Resolve(dir, "mnist.onnx", ("Tail", "Auto"), ("GenerateCSharp", "true"));
        var engine = new FakeBuildEngine();
        Assert.IsTrue(new InProcessCompile { BuildEngine = engine, Models = [model] }.Execute(), string.Join("\n", engine.Errors.Select(e => e.Code + " " + e.Message)));

        StringAssert.Contains(File.ReadAllText(model.GetMetadata("HeaderFile")), "static inline void mnist_tail(const float *device_outputs, void *scratch, float *out0)");
        StringAssert.Contains(File.ReadAllText(model.GetMetadata("CSharpFile")), "public static void Tail(global::System.ReadOnlySpan<float> deviceOutputs, global::System.Span<float> output0)");
        Assert.IsTrue(engine.Messages.Any(m => m.Contains("<name>_tail", StringComparison.Ordinal) && m.Contains("LogSoftmax", StringComparison.Ordinal)),
            string.Join("\n", engine.Messages));
    }

    private static Microsoft.Build.Framework.ITaskItem Resolve(TempDirectory dir, string name, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(dir.File(name));
        item.SetMetadata("InputRange", "0,1");
        foreach (var (key, value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        var engine = new FakeBuildEngine();
        var task = new EmcResolveModels { BuildEngine = engine, Models = [item], OutputDirectory = dir.File("emc"), ProjectDirectory = dir.Path };
        Assert.IsTrue(task.Execute());
        return task.ResolvedModels.Single();
    }
}
