using System.Text.Json;
using Emc.Cli.Commands;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Cli.Tests;

[TestClass]
public sealed class CompileCommandTests
{
    private static DirectoryInfo NewDir()
    {
        var dir = new DirectoryInfo(Path.Combine(Path.GetTempPath(), "emc-compile-" + Guid.NewGuid().ToString("N")));
        dir.Create();
        return dir;
    }

    [TestMethod]
    [TestCategory(TestCategories.Slow)]
    public void MobileNetCompilesWithReportAndClassifiesTheTiger()
    {
        var model = new FileInfo(TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx"));
        string images = TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset");
        var dataset = new[] { "n01440764_1063.JPEG", "n01742172_172.JPEG", "tiger224.bmp" }.Select(f => Path.Combine(images, f)).ToList();
        var dir = NewDir();
        try
        {
            var output = new FileInfo(Path.Combine(dir.FullName, "m.kmodel"));
            var report = new FileInfo(Path.Combine(dir.FullName, "r.json"));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = CompileCommand.Run(new CompileCommand.Arguments(model, output, dataset, InputRange: "-1,1", Report: report, Progress: true), stdout, stderr);
            Assert.AreEqual(0, code, stderr.ToString());
            StringAssert.Contains(stderr.ToString(), "calibration 3/3");
            StringAssert.Contains(stdout.ToString(), "main_mem_usage");
            StringAssert.Contains(stdout.ToString(), "output 'prob': SQNR");
            Assert.AreEqual(0, dir.GetFiles("*.tmp").Length, "no temporary file left");

            var file = KmodelReader.Read(File.ReadAllBytes(output.FullName)).Value!;
            var simulator = KmodelSimulator.Create(file).Value!;
            var tiger = Emc.Imaging.ImagePreprocessor.ToChwBytes(Emc.Imaging.ImageDecoder.Load(dataset[2]).Value!, 224, 224).Value!;
            var prob = simulator.Run(tiger).Outputs[0].AsFloat32()!;
            Assert.AreEqual(292, Array.IndexOf(prob, prob.Max()), "ORT's top-1 for tiger224.bmp (images.txt)");

            using var json = JsonDocument.Parse(File.ReadAllBytes(report.FullName));
            var root = json.RootElement;
            Assert.AreEqual(file.Header.MainMemUsage, root.GetProperty("totals").GetProperty("mainMemUsage").GetUInt32());
            Assert.AreEqual(output.Length, root.GetProperty("totals").GetProperty("modelBytes").GetInt64());
            var layers = root.GetProperty("layers");
            Assert.AreEqual(file.Layers.Count, layers.GetArrayLength());
            var first = layers[0];
            Assert.AreEqual("KPU", first.GetProperty("unit").GetString());
            Assert.AreEqual(224, first.GetProperty("inputShape")[1].GetInt32());
            Assert.AreEqual(224L * 224 * 8 * 27, first.GetProperty("macs").GetInt64(), "stride-1 KPU conv: H·W·OC·IC·k²");
            Assert.IsTrue(root.GetProperty("outputs")[0].GetProperty("sqnrDb").GetDouble() > 15);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void NoDatasetWarnsAndStillCompiles()
    {
        var model = new FileInfo(TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx"));
        var dir = NewDir();
        try
        {
            var output = new FileInfo(Path.Combine(dir.FullName, "m.kmodel"));
            var stderr = new StringWriter();
            int code = CompileCommand.Run(new CompileCommand.Arguments(model, output, [], InputRange: "-1,1", Calibration: "mse"), new StringWriter(), stderr);
            Assert.AreEqual(0, code, stderr.ToString());
            StringAssert.Contains(stderr.ToString(), "EMC0602");
            Assert.IsNotNull(KmodelReader.Read(File.ReadAllBytes(output.FullName)).Value);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void UnsupportedModelWritesNothing()
    {
        // yunet's last Softmax normalises 1076 pairs, which SOFTMAX (one vector) cannot (EMC0505; --tail auto would cut it).
        var model = new FileInfo(TestData.Path("real-zoo", "yunet-120x160", "model.onnx"));
        var dir = NewDir();
        try
        {
            var output = new FileInfo(Path.Combine(dir.FullName, "m.kmodel"));
            var report = new FileInfo(Path.Combine(dir.FullName, "r.json"));
            var stderr = new StringWriter();
            int code = CompileCommand.Run(new CompileCommand.Arguments(model, output, [], InputRange: "0,255", Report: report), new StringWriter(), stderr);
            Assert.AreEqual(CliRunner.Errors, code);
            StringAssert.Contains(stderr.ToString(), "EMC0505");
            Assert.AreEqual(0, dir.GetFiles().Length, "no kmodel, report or temporary file");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    [DataRow("--input-range", "1")]
    [DataRow("--mean", "a,b")]
    [DataRow("--channel-order", "rbg")]
    [DataRow("--calibration", "best")]
    [DataRow("--weight-bits", "4")]
    [DataRow("--fully-connected", "gpu")]
    [DataRow("--activation-ranges", "both")]
    [DataRow("--weight-rounding", "gptq")]
    [DataRow("--fine-activations", "-5")]
    [DataRow("--fine-activations", "1001")]
    public void InvalidOptionValuesAreDiagnosed(string option, string value)
    {
        var model = new FileInfo(TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx"));
        var dir = NewDir();
        try
        {
            var output = new FileInfo(Path.Combine(dir.FullName, "m.kmodel"));
            var a = new CompileCommand.Arguments(model, output, []);
            a = option switch
            {
                "--input-range" => a with { InputRange = value },
                "--mean" => a with { Mean = value },
                "--channel-order" => a with { ChannelOrder = value },
                "--calibration" => a with { Calibration = value },
                "--fully-connected" => a with { FullyConnected = value },
                "--activation-ranges" => a with { ActivationRanges = value },
                "--weight-rounding" => a with { WeightRounding = value },
                "--fine-activations" => a with { FineActivations = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
                _ => a with { WeightBits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            };
            var stderr = new StringWriter();
            Assert.AreEqual(CliRunner.Errors, CompileCommand.Run(a, new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "EMC0011");
            StringAssert.Contains(stderr.ToString(), option);
            Assert.IsFalse(output.Exists);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void UnwritableOutputIsADiagnostic()
    {
        var model = new FileInfo(TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx"));
        var output = new FileInfo(Path.Combine(Path.GetTempPath(), "emc-missing-" + Guid.NewGuid().ToString("N"), "m.kmodel"));
        var stderr = new StringWriter();
        Assert.AreEqual(CliRunner.Errors, CompileCommand.Run(new CompileCommand.Arguments(model, output, [], InputRange: "-1,1"), new StringWriter(), stderr));
        StringAssert.Contains(stderr.ToString(), "EMC0004");
    }
}
