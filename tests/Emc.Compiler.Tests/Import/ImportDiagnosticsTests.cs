using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Emc.Tests;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Import;

[TestClass]
public sealed class ImportDiagnosticsTests
{
    private static Emc.Diagnostics.Result<Graph> Import(ModelProto model, ImportOptions? options = null) =>
        OnnxImporter.Import(model.ToByteArray(), "tiny.onnx", null, options);

    [TestMethod]
    public void EveryUnsupportedOpIsListedAtOnceWithNodeNames()
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 1, 2));
        g.Output.Add(TinyModels.Float("z", 1, 2));
        g.Node.Add(TinyModels.Node("Foo", "foo1", ["x"], ["a"]));
        g.Node.Add(TinyModels.Node("Relu", "r", ["a"], ["b"]));
        g.Node.Add(TinyModels.Node("Foo", "", ["b"], ["c"]));
        g.Node.Add(TinyModels.Node("FusedConv", "ms", ["c"], ["z"], domain: "com.microsoft"));
        var result = Import(TinyModels.Model(g));
        var unsupported = result.Diagnostics.Where(d => d.Code == OnnxDiagnostics.UnsupportedOperator.Code).ToList();
        Assert.AreEqual(2, unsupported.Count, string.Join("\n", result.Diagnostics));
        StringAssert.Contains(unsupported[0].Message, "'Foo'");
        StringAssert.Contains(unsupported[0].Message, "'foo1', 'Foo_2'");
        StringAssert.Contains(unsupported[0].Message, "opset 13");
        StringAssert.Contains(unsupported[1].Message, "com.microsoft");
        Assert.AreEqual("FusedConv", unsupported[1].OpType);
    }

    [TestMethod]
    [DataRow("onnx-simple", "test_sequence_model1", "SequenceEmpty")]
    [DataRow("onnx-simple", "test_strnorm_model_monday_casesensintive_lower", "StringNormalizer")]
    [DataRow("onnx-simple", "test_gradient_of_add", "Gradient")]
    public void RealNegativeTestsNameTheUnsupportedOp(string folder, string test, string op)
    {
        var result = OnnxImporter.Import(TestData.Path(folder, test, "model.onnx"));
        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Diagnostics.Any(d => d.Code == OnnxDiagnostics.UnsupportedOperator.Code && d.OpType == op && d.Message.Contains(op, StringComparison.Ordinal)),
            string.Join("\n", result.Diagnostics));
    }

    [TestMethod]
    public void QLinearConvModelIsReportedAsAlreadyQuantized()
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Tensor("x", 2, 1, 1, 4, 4));
        g.Output.Add(TinyModels.Tensor("y", 2, 1, 1, 4, 4));
        var node = TinyModels.Node("QLinearConv", "qconv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"]);
        g.Node.Add(node);
        foreach (string name in new[] { "xs", "ws", "ys" })
        {
            g.Initializer.Add(TinyModels.FloatInitializer(name, [0.1f]));
        }

        foreach (string name in new[] { "xz", "wz", "yz" })
        {
            g.Initializer.Add(new TensorProto { Name = name, DataType = 2, RawData = ByteString.CopyFrom(0) });
        }

        var w = new TensorProto { Name = "w", DataType = 2, RawData = ByteString.CopyFrom(1) };
        w.Dims.AddRange([1, 1, 1, 1]);
        g.Initializer.Add(w);
        var result = Import(TinyModels.Model(g));
        var quantized = result.Diagnostics.Single(d => d.Code == OnnxDiagnostics.QuantizedModel.Code);
        StringAssert.Contains(quantized.Message, "already quantized");
        StringAssert.Contains(quantized.Message, "QLinearConv");
        StringAssert.Contains(quantized.Message, "export a float32 model");
        Assert.IsFalse(result.Diagnostics.Any(d => d.Code == OnnxDiagnostics.UnsupportedOperator.Code));
    }

    [TestMethod]
    public void UnresolvedNonBatchDimensionNamesInputAndDimension()
    {
        var g = TinyModels.ReluGraph();
        g.Input[0] = TinyModels.Float("x", "N", "width");
        var result = Import(TinyModels.Model(g));
        var d = result.Diagnostics.Single();
        Assert.AreEqual(IrDiagnostics.UnresolvedDimension.Code, d.Code);
        StringAssert.Contains(d.Message, "'x'");
        StringAssert.Contains(d.Message, "dimension 1");
        StringAssert.Contains(d.Message, "'width'");

        var overridden = Import(TinyModels.Model(g), new ImportOptions { InputShapes = new Dictionary<string, int[]> { ["x"] = [1, 5] } });
        Assert.IsTrue(overridden.Succeeded, string.Join("\n", overridden.Diagnostics));
        Assert.AreEqual(new Shape(1, 5), overridden.Value!.Outputs[0].Shape);
    }

    [TestMethod]
    public void NonTensorAndNonFloatInputsAreDiagnosed()
    {
        var g = TinyModels.ReluGraph();
        g.Input[0] = new ValueInfoProto { Name = "x", Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence() } };
        Assert.AreEqual(OnnxDiagnostics.NonTensorType.Code, Import(TinyModels.Model(g)).Diagnostics[0].Code);

        var u8 = TinyModels.ReluGraph();
        u8.Input[0] = TinyModels.Tensor("x", 2, 1, 2);
        var result = Import(TinyModels.Model(u8));
        Assert.AreEqual(OnnxDiagnostics.NonFloatModel.Code, result.Diagnostics[0].Code);
        StringAssert.Contains(result.Diagnostics[0].Message, "uint8");
    }

    [TestMethod]
    public void OutOfOrderNodesAreSortedAndCyclesReported()
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 1, 2));
        g.Output.Add(TinyModels.Float("z", 1, 2));
        g.Node.Add(TinyModels.Node("Relu", "second", ["y"], ["z"]));
        g.Node.Add(TinyModels.Node("Relu", "first", ["x"], ["y"]));
        var sorted = Import(TinyModels.Model(g));
        Assert.IsTrue(sorted.Succeeded, string.Join("\n", sorted.Diagnostics));
        CollectionAssert.AreEqual(new[] { "first", "second" }, sorted.Value!.Nodes.Select(n => n.Name).ToArray());

        g.Node[1].Input[0] = "z";
        var cyclic = Import(TinyModels.Model(g));
        Assert.AreEqual(OnnxDiagnostics.InvalidGraph.Code, cyclic.Diagnostics.Single().Code);
        StringAssert.Contains(cyclic.Diagnostics[0].Message, "cycle");
    }

    [TestMethod]
    public void IdentityFeedingAGraphOutputKeepsTheOutputName()
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 1, 2));
        g.Output.Add(TinyModels.Float("out", 1, 2));
        g.Node.Add(TinyModels.Node("Relu", "relu", ["x"], ["r"]));
        g.Node.Add(TinyModels.Node("Identity", "id", ["r"], ["out"]));
        var graph = Import(TinyModels.Model(g)).Value!;
        Assert.AreEqual("Relu", graph.Nodes.Single().OpType);
        Assert.AreEqual("out", graph.Outputs[0].Name);
        Assert.AreSame(graph.Nodes[0], graph.Outputs[0].Producer);
    }

    [TestMethod]
    public void ConstantInputsBindParametersAndFold()
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 2, 3));
        g.Input.Add(TinyModels.Tensor("shape", 7, 1));
        g.Output.Add(TinyModels.Float("y", 3, 2));
        g.Node.Add(TinyModels.Node("Reshape", "reshape", ["x", "shape"], ["y"]));
        var unbound = Import(TinyModels.Model(g));
        Assert.IsTrue(unbound.Diagnostics.Any(d => d.Code == OnnxDiagnostics.NonFloatModel.Code));

        var bound = Import(TinyModels.Model(g), new ImportOptions
        {
            ConstantInputs = new Dictionary<string, Tensor> { ["shape"] = Tensor.Create(new Shape(2), new long[] { 3, -1 }) },
        });
        Assert.IsTrue(bound.Succeeded, string.Join("\n", bound.Diagnostics));
        Assert.AreEqual(1, bound.Value!.Inputs.Count);
        Assert.AreEqual(new Shape(3, 2), bound.Value.Outputs[0].Shape);
    }

    [TestMethod]
    public void UnsupportedAttributeValueNamesTheAttribute()
    {
        var result = OnnxImporter.Import(TestData.Path("onnx-pytorch-converted", "test_ReflectionPad2d", "model.onnx"));
        var d = result.Diagnostics.Single();
        Assert.AreEqual(IrDiagnostics.UnsupportedAttribute.Code, d.Code);
        StringAssert.Contains(d.Message, "mode");
        StringAssert.Contains(d.Message, "reflect");
        StringAssert.Contains(d.Message, "opset 6");
    }

    [TestMethod]
    public void PyTorchOperatorOpset6ModelsImport()
    {
        string root = TestData.Path("onnx-pytorch-operator");
        var expectedRejections = new HashSet<string> { "test_operator_pad", "test_operator_add_broadcast", "test_operator_add_size1_broadcast", "test_operator_addconstant", "test_operator_maxpool" };
        int imported = 0;
        foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            string test = Path.GetFileName(dir);
            var result = OnnxImporter.Import(Path.Combine(dir, "model.onnx"));
            Assert.AreEqual(!expectedRejections.Contains(test), result.Succeeded, test + ": " + string.Join("\n", result.Diagnostics));
            Assert.AreEqual(6, OnnxModelLoader.DefaultOpset(OnnxModelLoader.Load(Path.Combine(dir, "model.onnx")).Value!));
            imported += result.Succeeded ? 1 : 0;
        }

        Assert.AreEqual(11, imported);
    }
}
