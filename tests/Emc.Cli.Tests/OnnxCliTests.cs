using System.Text.Json;
using Emc.Cli.Commands;
using Emc.Cli.Inspect;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Tests;

namespace Emc.Cli.Tests;

[TestClass]
public sealed class OnnxCliTests
{
    [TestMethod]
    public void InspectMobileNetReportsShapesHistogramAndParameters()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = OnnxInspector.Run(TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx"), json: true, stdout, stderr);
        Assert.AreEqual(CliRunner.Ok, exit, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.AreEqual(7, root.GetProperty("irVersion").GetInt64());
        Assert.AreEqual(13, root.GetProperty("opsets").GetProperty("ai.onnx").GetInt64());
        Assert.AreEqual("[1,3,224,224]", root.GetProperty("inputs")[0].GetProperty("declaredShape").GetString());
        Assert.AreEqual(28, root.GetProperty("operators").GetProperty("Conv").GetInt32());
        Assert.AreEqual(0, root.GetProperty("unsupported").GetArrayLength());
        // Keras MobileNet alpha 0.25: 470,072 trainable + 5,472 BN moving statistics (Keras model summary),
        // plus the two scalar Clip bounds (ReLU6) the ONNX file holds as float initializers.
        Assert.AreEqual(475_544 + 2, root.GetProperty("parameterCount").GetInt64());
    }

    [TestMethod]
    public void InspectListsUnsupportedOpsAndStillPrintsTheRest()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = OnnxInspector.Run(TestData.Path("onnx-simple", "test_sequence_model1", "model.onnx"), json: false, stdout, stderr);
        Assert.AreEqual(CliRunner.Errors, exit);
        string text = stdout.ToString();
        StringAssert.Contains(text, "Unsupported operators");
        StringAssert.Contains(text, "SequenceEmpty");
        StringAssert.Contains(text, "Inputs");
        StringAssert.Contains(stderr.ToString(), "error EMC0101");
    }

    [TestMethod]
    public void RunWritesOutputsMatchingTheStoredReference()
    {
        string dir = TestData.Path("onnx-node", "test_transpose_all_permutations_3");
        string outDir = Path.Combine(Path.GetTempPath(), "emc-run-" + Guid.NewGuid().ToString("N"));
        try
        {
            int exit = RunCommand.Run(new FileInfo(Path.Combine(dir, "model.onnx")), [new FileInfo(Path.Combine(dir, "test_data_set_0", "input_0.pb"))],
                new DirectoryInfo(outDir), new StringWriter(), new StringWriter());
            Assert.AreEqual(CliRunner.Ok, exit);
            var actual = (Tensor<float>)TensorProtoConverter.ReadFile(Path.Combine(outDir, "output_0.pb")).Value!;
            var expected = (Tensor<float>)TensorProtoConverter.ReadFile(Path.Combine(dir, "test_data_set_0", "output_0.pb")).Value!;
            Assert.AreEqual(expected.Shape, actual.Shape);
            CollectionAssert.AreEqual(expected.Data, actual.Data);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [TestMethod]
    public void RunReportsWrongInputCountAndShape()
    {
        string model = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        var stderr = new StringWriter();
        Assert.AreEqual(CliRunner.Errors, RunCommand.Run(new FileInfo(model), [], new DirectoryInfo(Path.GetTempPath()), new StringWriter(), stderr));
        StringAssert.Contains(stderr.ToString(), "error EMC0003");

        stderr = new StringWriter();
        string wrongShape = TestData.Path("onnx-node", "test_transpose_default", "test_data_set_0", "input_0.pb");
        Assert.AreEqual(CliRunner.Errors, RunCommand.Run(new FileInfo(model), [new FileInfo(wrongShape)], new DirectoryInfo(Path.GetTempPath()), new StringWriter(), stderr));
        StringAssert.Contains(stderr.ToString(), "error EMC0003");
    }

    [TestMethod]
    public void RunOnAMalformedModelExitsWithErrors()
    {
        string file = Path.GetTempFileName();
        File.WriteAllBytes(file, [0x0A, 0xFF, 0xFF]);
        var stderr = new StringWriter();
        try
        {
            Assert.AreEqual(CliRunner.Errors, RunCommand.Run(new FileInfo(file), [], new DirectoryInfo(Path.GetTempPath()), new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "error EMC0102");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
