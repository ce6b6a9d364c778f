using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>Float evaluator vs simulator, layer by layer (judged by the simulator, no stored expectations).</summary>
[TestClass]
public sealed class LayerComparisonTests
{
    [TestMethod]
    public void MobileNetLayersFollowTheFloatModel()
    {
        string onnx = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        string images = TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset");
        var dataset = Directory.GetFiles(images, "*.JPEG").Order(StringComparer.Ordinal).Take(16).ToList();
        var graph = OnnxImporter.Import(onnx).Value!;
        var artifacts = KmodelCompiler.CompileWithArtifacts(graph, new CompileOptions { Dataset = dataset, InputRange = (-1f, 1f) });
        Assert.IsTrue(artifacts.Result.Succeeded, string.Join(Environment.NewLine, artifacts.Result.Diagnostics));
        var rows = LayerComparison.Compare(graph, artifacts.Model!, artifacts.Kmodel!, artifacts.Samples[0]);
        Console.WriteLine(LayerComparison.Format(rows));
    }
}
