using System.Text.Json;
using Emc.Cli.Inspect;
using Emc.Onnx.Protobuf;
using Emc.Tests;
using Google.Protobuf;

namespace Emc.Cli.Tests;

/// <summary>emc inspect: every initializer element counts as a parameter, a kmodel's input line, and a model rejected for
/// its opset still gets the full listing.</summary>
[TestClass]
public sealed class InspectFixesTests
{
    private static string Mnist => TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx");

    private static string WriteTemp(ModelProto model)
    {
        string path = Path.Combine(Path.GetTempPath(), "emc-inspect-" + Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static (int Exit, string Stdout, string Stderr) Inspect(string path, bool json)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = OnnxInspector.Run(path, json, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static long ParameterCount(string path)
    {
        using var doc = JsonDocument.Parse(Inspect(path, json: true).Stdout);
        return doc.RootElement.GetProperty("parameterCount").GetInt64();
    }

    [TestMethod]
    public void ParameterCountIncludesIntegerInitializers()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Mnist));
        long expected = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d))
            + model.Graph.Node.Where(n => n.OpType == "Constant").SelectMany(n => n.Attribute).Where(a => a.T is not null).Sum(a => a.T.Dims.Aggregate(1L, (x, d) => x * d));
        Assert.AreEqual(expected, ParameterCount(Mnist), "every initializer element and every Constant node's tensor");

        // An int8 weight of 12×100 (as a quantized model stores its weights) counts all of its 1,200 elements.
        var int8 = new TensorProto { Name = "int8_weight", DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom(new byte[1200]) };
        int8.Dims.Add(12);
        int8.Dims.Add(100);
        model.Graph.Initializer.Add(int8);
        string path = WriteTemp(model);
        try
        {
            Assert.AreEqual(expected + 1200, ParameterCount(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ModelRejectedForItsOpsetStillGetsTheFullListing()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Mnist));
        foreach (var o in model.OpsetImport.Where(o => o.Domain.Length == 0 || o.Domain == "ai.onnx"))
        {
            o.Version = 5;
        }

        string path = WriteTemp(model);
        try
        {
            var (exit, stdout, stderr) = Inspect(path, json: false);
            Assert.AreEqual(CliRunner.Errors, exit);
            StringAssert.Contains(stdout, "Opsets       ai.onnx 5");
            StringAssert.Contains(stdout, "Inputs");
            StringAssert.Contains(stdout, "Outputs");
            StringAssert.Contains(stdout, "Conv");
            StringAssert.Contains(stdout, "Parameters");
            StringAssert.Contains(stdout, "Diagnostics");
            StringAssert.Contains(stderr, "opset 5 is not supported", "diagnostics are printed once, on stderr");
            StringAssert.Contains(stderr, "error EMC");
            Assert.AreEqual(ParameterCount(Mnist), ParameterCount(path), "the parameters are counted without import");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void KmodelListingStartsWithItsInput()
    {
        string mbnet = TestData.Path("maix-emc-mbnetv1", "mbnetv1.kmodel");
        var stdout = new StringWriter();
        Assert.AreEqual(0, KmodelInspector.Run(mbnet, json: false, stdout, new StringWriter()));
        var lines = stdout.ToString().Split('\n');
        Assert.IsTrue(lines[2].StartsWith("input: shape 3×224×224, type uint8, layout planar CHW", StringComparison.Ordinal), lines[2]);
        StringAssert.Contains(lines[2], "zero_point");

        stdout = new StringWriter();
        Assert.AreEqual(0, KmodelInspector.Run(mbnet, json: true, stdout, new StringWriter()));
        using var doc = JsonDocument.Parse(stdout.ToString());
        var input = doc.RootElement.GetProperty("input");
        CollectionAssert.AreEqual(new[] { 3, 224, 224 }, input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.AreEqual("uint8", input.GetProperty("type").GetString());
        Assert.IsTrue(doc.RootElement.GetProperty("totals").GetProperty("estimated_us").GetDouble() > 1000, "an estimate is listed");

        // A float-input model (FULLY_CONNECTED first): float32 of in_channels.
        string iris = TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel");
        stdout = new StringWriter();
        KmodelInspector.Run(iris, json: false, stdout, new StringWriter());
        StringAssert.Contains(stdout.ToString(), "input: shape 4, type float32");
    }
}
