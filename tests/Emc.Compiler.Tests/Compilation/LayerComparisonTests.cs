using Emc.Compiler.Analysis;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>Float evaluator vs simulator, layer by layer (judged by the simulator, no stored expectations).</summary>
[TestClass]
public sealed class LayerComparisonTests
{
    [TestMethod]
    [TestCategory(TestCategories.Slow)]
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

        // The KPU's integer pipeline (stride-2 picks, row-shifted reads, pool types, multi-load weights, BN words)
        // equals the float model of each conv run on the simulated input with the quantized weights.
        var convs = rows.Where(r => r.ArithmeticLsb is not null).ToList();
        Assert.AreEqual(27, convs.Count, "every KPU conv compared (conv1, 13 depthwise, 13 pointwise)");
        foreach (var row in convs)
        {
            Assert.IsTrue(row.ArithmeticLsb!.Value.Max <= 1, $"layer {row.Index} ({row.Value}): {row.ArithmeticLsb.Value.Max} LSB");
        }

        // No layer collapses (before the weight-quantization fix pw13 was at 9 dB; now ≥ 17.7) and the logits stay close.
        foreach (var row in rows.Where(r => r.Kind != "softmax"))
        {
            Assert.IsTrue(row.SqnrDb > 15, $"layer {row.Index} ({row.Value}): SQNR {row.SqnrDb:F1} dB");
        }
    }
}
