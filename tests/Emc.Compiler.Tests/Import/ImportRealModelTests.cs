using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Tests;

namespace Emc.Compiler.Tests.Import;

[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class ImportRealModelTests
{
    private static Graph ImportOk(string path, ImportOptions? options = null)
    {
        var result = OnnxImporter.Import(path, options);
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Value!;
    }

    private static Dictionary<string, int> Histogram(Graph graph) =>
        graph.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());

    [TestMethod]
    public void MobileNetV1ImportsWithTheReadmeStructure()
    {
        var graph = ImportOk(TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx"));
        Assert.AreEqual(13, graph.OpsetVersion);
        Assert.AreEqual(1, graph.Inputs.Count);
        Assert.AreEqual(new Shape(1, 3, 224, 224), graph.Inputs[0].Shape);
        Assert.AreEqual(new Shape(1, 1000), graph.Outputs[0].Shape);

        // README: conv 3x3/2 + 13 x (depthwise + pointwise) + classifier conv; BN + ReLU6 (Clip) after all but the classifier.
        var histogram = Histogram(graph);
        Assert.AreEqual(28, histogram["Conv"]);
        Assert.AreEqual(27, histogram["BatchNormalization"]);
        Assert.AreEqual(27, histogram["Clip"]);
        Assert.AreEqual(1, histogram["GlobalAveragePool"]);
        Assert.AreEqual(1, histogram["Flatten"]);
        Assert.AreEqual(1, histogram["Softmax"]);
        Assert.AreEqual(6, histogram.Count);
        Assert.AreEqual(new Shape(1, 1000, 1, 1), graph.Nodes.Single(n => n.OpType == "Flatten").Inputs[0]!.Shape);
    }

    [TestMethod]
    public void PyTorchMnistDynamicBatchBecomesOne()
    {
        var graph = ImportOk(TestData.Path("real-onnx", "mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx"));
        Assert.AreEqual(new Shape(1, 1, 28, 28), graph.Inputs[0].Shape);
        Assert.AreEqual(new Shape(1, 10), graph.Outputs[0].Shape);
        var reshape = graph.Nodes.Single(n => n.OpType == "Reshape");
        Assert.AreEqual(new Shape(1, 3136), reshape.Outputs[0].Shape);
        Assert.IsTrue(graph.Nodes.All(n => n.OpType is not ("Shape" or "Gather" or "Unsqueeze" or "Concat" or "Constant")),
            "the shape sub-graph must fold away: " + string.Join(",", graph.Nodes.Select(n => n.OpType)));
    }

    [TestMethod]
    public void BatchSizeOptionAppliesToTheDynamicDimension()
    {
        var graph = ImportOk(TestData.Path("real-onnx", "mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx"), new ImportOptions { BatchSize = 4 });
        Assert.AreEqual(new Shape(4, 1, 28, 28), graph.Inputs[0].Shape);
        Assert.AreEqual(new Shape(4, 10), graph.Outputs[0].Shape);
    }

    [TestMethod]
    [DataRow("light_bvlc_alexnet")]
    [DataRow("light_densenet121")]
    [DataRow("light_inception_v1")]
    [DataRow("light_inception_v2")]
    [DataRow("light_resnet50")]
    [DataRow("light_shufflenet")]
    [DataRow("light_squeezenet")]
    [DataRow("light_vgg19")]
    [DataRow("light_zfnet512")]
    public void OnnxLightWeightsFoldToConstants(string name)
    {
        var graph = ImportOk(TestData.Path("onnx-light", name + ".onnx"));
        Assert.IsFalse(graph.Nodes.Any(n => n.OpType is "ConstantOfShape" or "Dropout" or "Unsqueeze"), string.Join(",", graph.Nodes.Select(n => n.OpType).Distinct()));
        foreach (var node in graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm" or "BatchNormalization"))
        {
            Assert.IsTrue(node.Inputs.Skip(1).All(v => v is null || v.IsConstant), $"{node} has non-constant weights");
        }

        Assert.AreEqual(new Shape(1, 3, 224, 224), graph.Inputs[0].Shape);
        Assert.AreEqual(1000, graph.Outputs[0].Shape!.ElementCount);
    }

    [TestMethod]
    public void YoloxFocusSlicesAndHeadShapes()
    {
        var graph = ImportOk(TestData.Path("real-onnx", "yolox-nano-224_nncase-v1.0.0", "yolox_nano_224.onnx"));
        Assert.AreEqual(new Shape(1, 3, 224, 224), graph.Inputs[0].Shape);
        Assert.AreEqual(new Shape(1, 1029, 85), graph.Outputs[0].Shape);
        var slices = graph.Nodes.Where(n => n.OpType == "Slice").ToList();
        Assert.AreEqual(8, slices.Count);
        var focusConcat = graph.Nodes.First(n => n.OpType == "Concat");
        Assert.AreEqual(new Shape(1, 12, 112, 112), focusConcat.Outputs[0].Shape);
        Assert.AreEqual(2, graph.Nodes.Count(n => n.OpType == "Resize"));
    }

    [TestMethod]
    public void SuperResolutionRankSixTranspose()
    {
        var graph = ImportOk(TestData.Path("real-onnx", "super-resolution_onnx-model-zoo", "super_resolution.onnx"));
        var transpose = graph.Nodes.Single(n => n.OpType == "Transpose");
        Assert.AreEqual(6, transpose.Outputs[0].Shape!.Rank);
        Assert.AreEqual(new Shape(1, 1, 224, 3, 224, 3), transpose.Outputs[0].Shape);
        Assert.AreEqual(new Shape(1, 1, 672, 672), graph.Outputs[0].Shape);
    }

    [TestMethod]
    [DataRow("mnist-12_onnx-model-zoo", "mnist-12.onnx", 10)]
    [DataRow("mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx", 10)]
    public void MnistModelsImport(string folder, string file, int classes)
    {
        var graph = ImportOk(TestData.Path("real-onnx", folder, file));
        Assert.AreEqual(new Shape(1, 1, 28, 28), graph.Inputs[0].Shape);
        Assert.AreEqual(new Shape(1, classes), graph.Outputs[0].Shape);
    }
}
