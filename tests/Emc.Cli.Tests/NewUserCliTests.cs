using System.Text.Json;
using Emc.Cli.Commands;
using Emc.Tests;

namespace Emc.Cli.Tests;

/// <summary>Issue 14: what a new user hit on the command line.</summary>
[TestClass]
public sealed class NewUserCliTests
{
    private static string MnistModel => TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx");

    private static DirectoryInfo NewDir()
    {
        var dir = new DirectoryInfo(Path.Combine(Path.GetTempPath(), "emc-newuser-" + Guid.NewGuid().ToString("N")));
        dir.Create();
        return dir;
    }

    /// <summary><paramref name="copies"/> times the ten MNIST .dat inputs (raw float32 samples), under a name per copy.</summary>
    private static string MnistSamples(DirectoryInfo dir, int copies)
    {
        string inputs = TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "inputs");
        string dataset = Directory.CreateDirectory(Path.Combine(dir.FullName, "data")).FullName;
        foreach (string file in Directory.GetFiles(inputs, "*.dat"))
        {
            for (int c = 0; c < copies; c++)
            {
                File.Copy(file, Path.Combine(dataset, $"{(char)('a' + c)}_{Path.GetFileName(file)}"));
            }
        }

        return dataset;
    }

    /// <summary>Item 7: the summary counts the samples calibration used, apart from those the accuracy was measured on
    /// (20 files: all 20 calibrate, accuracy on the first 16 of them; 40 files: every 4th of the 40 is held out,
    /// docs/accuracy.md). The console line and the HTML page say the same.</summary>
    [TestMethod]
    [DataRow(2, "20 calibration samples, accuracy measured on the calibration samples (16;")]
    [DataRow(4, "30 calibration samples, accuracy measured on 10 held-out dataset samples not used to calibrate")]
    public void SummaryCountsCalibrationAndAccuracySamplesApart(int copies, string expected)
    {
        var dir = NewDir();
        try
        {
            string dataset = MnistSamples(dir, copies);
            Assert.AreEqual(10 * copies, Directory.GetFiles(dataset).Length);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var html = new FileInfo(Path.Combine(dir.FullName, "r.html"));
            int code = CompileCommand.Run(
                new CompileCommand.Arguments(new FileInfo(MnistModel), new FileInfo(Path.Combine(dir.FullName, "m.kmodel")), [dataset], InputRange: "-1,1", Report: html),
                stdout, stderr);

            Assert.AreEqual(0, code, stderr.ToString());
            StringAssert.Contains(stdout.ToString(), $"(simulated kmodel vs float; {expected}");
            StringAssert.Contains(System.Net.WebUtility.HtmlDecode(File.ReadAllText(html.FullName)), $"against the float model; {expected}");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>Item 14: the JSON report carries a 'build' block for tools (version, the model by file name, the options,
    /// the dataset's counts) and each layer's placements as numbers; the existing fields stay.</summary>
    [TestMethod]
    public void JsonReportHasABuildBlockAndNumericPlacements()
    {
        var dir = NewDir();
        try
        {
            string dataset = MnistSamples(dir, 4);
            var report = new FileInfo(Path.Combine(dir.FullName, "r.json"));
            var stderr = new StringWriter();
            int code = CompileCommand.Run(
                new CompileCommand.Arguments(new FileInfo(MnistModel), new FileInfo(Path.Combine(dir.FullName, "m.kmodel")), [dataset], InputRange: "-1,1", Report: report),
                new StringWriter(), stderr);
            Assert.AreEqual(0, code, stderr.ToString());

            string text = File.ReadAllText(report.FullName);
            Assert.DoesNotContain(dir.FullName, text, "no absolute path of the dataset or outputs");
            Assert.DoesNotContain(Path.GetDirectoryName(MnistModel)!, text, "the model by file name only");
            using var json = JsonDocument.Parse(text);
            var build = json.RootElement.GetProperty("build");
            Assert.AreEqual(typeof(CompileCommand).Assembly.GetName().Version!.ToString(3), build.GetProperty("version").GetString()!.Split('+')[0]);
            Assert.AreEqual("mnist.onnx", build.GetProperty("model").GetString());
            var options = build.GetProperty("options");
            Assert.AreEqual(-1, options.GetProperty("inputRange")[0].GetDouble());
            Assert.AreEqual(1, options.GetProperty("inputRange")[1].GetDouble());
            Assert.AreEqual("rgb", options.GetProperty("channelOrder").GetString());
            Assert.AreEqual(8, options.GetProperty("weightBits").GetInt32());
            var counts = build.GetProperty("dataset");
            Assert.AreEqual(40, counts.GetProperty("files").GetInt32());
            Assert.AreEqual(30, counts.GetProperty("calibrationSamples").GetInt32(), "40 files, every 4th held out (docs/accuracy.md)");
            Assert.AreEqual(10, counts.GetProperty("accuracySamples").GetInt32());
            Assert.AreEqual("held-out", counts.GetProperty("accuracyData").GetString());
            Assert.AreEqual(JsonValueKind.Number, json.RootElement.GetProperty("totals").GetProperty("mainMemUsage").ValueKind);

            foreach (var layer in json.RootElement.GetProperty("layers").EnumerateArray())
            {
                var placements = layer.GetProperty("placements");
                Assert.IsGreaterThan(1, placements.GetArrayLength(), "at least one input and one output");
                foreach (var p in placements.EnumerateArray())
                {
                    Assert.IsLessThan(p.GetProperty("end").GetInt64(), p.GetProperty("start").GetInt64());
                    StringAssert.Contains(layer.GetProperty("memory").GetString(), $"{p.GetProperty("memory").GetString()}[{p.GetProperty("start").GetInt64()}..{p.GetProperty("end").GetInt64()})",
                        "the numbers are the ranges the memory string spells out");
                }
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    [DataRow("test_reshape_extended_dims")]
    [DataRow("test_resize_upsample_scales_nearest")]
    public void RunBindsParameterInputsAsConstants(string test)
    {
        string folder = TestData.Path("onnx-node", test);
        var dir = NewDir();
        try
        {
            var inputs = Directory.GetFiles(Path.Combine(folder, "test_data_set_0"), "input_*.pb").Order(StringComparer.Ordinal).Select(f => new FileInfo(f)).ToList();
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = RunCommand.Run(new FileInfo(Path.Combine(folder, "model.onnx")), inputs, dir, stdout, stderr);

            Assert.AreEqual(0, code, stderr.ToString());
            var expected = Emc.Compiler.Import.TensorProtoConverter.ReadFile(Path.Combine(folder, "test_data_set_0", "output_0.pb")).Value!;
            var got = Emc.Compiler.Import.TensorProtoConverter.ReadFile(Path.Combine(dir.FullName, "output_0.pb")).Value!;
            Assert.AreEqual(expected.Shape, got.Shape);
            CollectionAssert.AreEqual(expected.ToFloatArray(), got.ToFloatArray());
            StringAssert.Contains(stdout.ToString(), "top-5: ");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void RunOnAnImageSuggestsSimulate()
    {
        string model = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        string image = Path.Combine(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset"), "n01440764_1063.JPEG");
        var dir = NewDir();
        try
        {
            var stderr = new StringWriter();
            int code = RunCommand.Run(new FileInfo(model), [new FileInfo(image)], dir, new StringWriter(), stderr);

            Assert.AreEqual(CliRunner.Errors, code);
            string line = stderr.ToString().Trim();
            Assert.AreEqual(1, line.Split('\n').Length, line);
            StringAssert.Contains(line, "error EMC0013");
            StringAssert.Contains(line, "not a TensorProto");
            StringAssert.Contains(line, "emc simulate");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void RunPrintsEachOutputsTopFive()
    {
        string folder = TestData.Path("mobilenetv1-0.25-imagenet");
        var dir = NewDir();
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = RunCommand.Run(new FileInfo(Path.Combine(folder, "model.onnx")), [new FileInfo(Path.Combine(folder, "test_data_set_0", "input_0.pb"))], dir, stdout, stderr);

            Assert.AreEqual(0, code, stderr.ToString());
            var prob = Emc.Compiler.Import.TensorProtoConverter.ReadFile(Path.Combine(dir.FullName, "output_0.pb")).Value!.ToFloatArray();
            int best = Array.IndexOf(prob, prob.Max());
            string top = stdout.ToString().Split('\n').Single(l => l.Contains("top-5: ", StringComparison.Ordinal));
            StringAssert.StartsWith(top.Trim(), $"top-5: {best} (");
            Assert.AreEqual(5, top.Split(',').Length, top);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void OutputInAMissingFolderFailsBeforeTheCompile()
    {
        string missing = Path.Combine(Path.GetTempPath(), "emc-no-such-" + Guid.NewGuid().ToString("N"), "x.kmodel");
        var stderr = new StringWriter();

        int code = CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(MnistModel), new FileInfo(missing), []), new StringWriter(), stderr);

        Assert.AreEqual(CliRunner.Errors, code);
        string text = stderr.ToString().Trim();
        Assert.AreEqual(1, text.Split('\n').Length, "only the output error, no compile (no EMC0602 no-dataset warning): " + text);
        StringAssert.Contains(text, "error EMC0004");
        StringAssert.Contains(text, "does not exist");
    }

    [TestMethod]
    [DataRow("nope.onnx")]
    [DataRow("nope.kmodel")]
    public void MissingModelIsEmc0001InEveryCommand(string name)
    {
        var dir = NewDir();
        try
        {
            var model = new FileInfo(Path.Combine(dir.FullName, name));
            var out1 = new StringWriter();
            var out2 = new StringWriter();
            var out3 = new StringWriter();
            CompileCommand.Run(new CompileCommand.Arguments(model, new FileInfo(Path.Combine(dir.FullName, "m.kmodel")), []), new StringWriter(), out1);
            RunCommand.Run(model, [], dir, new StringWriter(), out2);
            SimulateCommand.Run(model, model, dir, false, default, new StringWriter(), out3);
            var previous = Console.Error;
            var out4 = new StringWriter();
            Console.SetError(out4);
            try
            {
                InspectCommand.Run(model, false, new StringWriter());
            }
            finally
            {
                Console.SetError(previous);
            }

            foreach (var stderr in new[] { out1, out2, out3, out4 })
            {
                Assert.AreEqual($"{model.FullName}: error EMC0001: model file not found", stderr.ToString().Trim());
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void UnknownCommandIsOneMessage()
    {
        var root = new System.CommandLine.RootCommand("test");
        root.Subcommands.Add(new System.CommandLine.Command("compile"));
        var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        int code;
        try
        {
            code = CliRunner.Run(root, ["frobnicate"]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.AreEqual(CliRunner.Usage, code);
        var lines = stderr.ToString().Trim().Split('\n').Select(l => l.Trim()).ToList();
        Assert.AreEqual(2, lines.Count, stderr.ToString());
        Assert.AreEqual("emc: usage: unknown command 'frobnicate'; the commands are compile", lines[0]);
        Assert.AreEqual("Run 'emc --help' for usage.", lines[1]);
    }

    [TestMethod]
    public void InspectAnswersWillItCompileWithTheLoweringErrors()
    {
        // sci-lowlight imports (no unsupported operator) but divides two tensors, which the lowering checks find (its
        // 240×320 convs run in row bands; the Div is what --tail auto leaves to the host).
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = Emc.Cli.Inspect.OnnxInspector.Run(TestData.Path("real-zoo", "sci-lowlight-240x320", "model.onnx"), false, stdout, stderr);

        Assert.AreEqual(CliRunner.Errors, exit);
        var errors = stderr.ToString().Split('\n').Where(l => l.Contains(" error EMC", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, errors, stderr.ToString());
        StringAssert.Contains(errors[0], "error EMC0501: node 'Div_8'");
        StringAssert.Contains(stdout.ToString(), "Compiles     no: 1 error from import and the K210 lowering checks");

        stdout = new StringWriter();
        Assert.AreEqual(CliRunner.Ok, Emc.Cli.Inspect.OnnxInspector.Run(MnistModel, false, stdout, new StringWriter()));
        StringAssert.Contains(stdout.ToString(), "Compiles     yes");
    }

    [TestMethod]
    public void InspectPrintsEachDiagnosticOnce()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Emc.Cli.Inspect.OnnxInspector.Run(TestData.Path("onnx-simple", "test_strnorm_model_monday_casesensintive_lower", "model.onnx"), false, stdout, stderr);

        string all = stdout.ToString() + stderr.ToString();
        Assert.AreEqual(1, all.Split('\n').Count(l => l.Contains("EMC0101", StringComparison.Ordinal)), all);
    }
}
