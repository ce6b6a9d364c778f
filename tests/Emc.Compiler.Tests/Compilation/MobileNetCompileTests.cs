using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Imaging;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>MobileNetV1-0.25 (TF-SAME stride 2) compiled, simulated and judged against ONNX Runtime's stored results.</summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class MobileNetCompileTests
{
    private static CompileResult? s_result;

    private static CompileResult Compiled()
    {
        if (s_result is null)
        {
            string onnx = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
            string images = TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset");
            var dataset = Directory.GetFiles(images, "*.JPEG").Order(StringComparer.Ordinal).Take(16).ToList();
            s_result = KmodelCompiler.Compile(onnx, new CompileOptions { Dataset = dataset, InputRange = (-1f, 1f) });
        }

        return s_result;
    }

    [TestMethod]
    public void TestSetsTop1MatchesOnnxRuntime()
    {
        var result = Compiled();
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var simulator = KmodelSimulator.Create(KmodelReader.Read(result.Kmodel!).Value!).Value!;
        string root = TestData.Path("mobilenetv1-0.25-imagenet");
        var lines = File.ReadAllLines(Path.Combine(root, "images.txt"));
        int agree = 0;
        foreach (string line in lines)
        {
            var parts = line.Split('\t');
            string set = parts[0], image = parts[1];
            var ort = TensorProtoConverter.ReadFile(Path.Combine(root, set, "output_0.pb")).Value!.ToFloatArray();
            string imagePath = Path.Combine(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset"), image);
            var bytes = ImagePreprocessor.ToChwBytes(ImageDecoder.Load(imagePath).Value!, 224, 224).Value!;
            var got = simulator.Run(bytes).Outputs[0].AsFloat32()!;
            bool same = MnistCompileTests.ArgMax(got) == MnistCompileTests.ArgMax(ort);
            agree += same ? 1 : 0;
            Console.WriteLine($"{set} {image}: ORT {MnistCompileTests.ArgMax(ort)} ({ort.Max():F3}), kmodel {MnistCompileTests.ArgMax(got)} ({got.Max():F3})");
        }

        Console.WriteLine($"agreement {agree}/{lines.Length}; SQNR {result.Report!.Accuracy[0].SqnrDb:F1} dB; {result.Kmodel!.Length} bytes; main {result.Report.MainMemoryUsage}; KPU peak {result.Report.KpuPeakUnits}");
        Assert.IsTrue(agree >= 8, $"top-1 agreement {agree}/9");
    }

    [TestMethod]
    public void Top1AgreesWithOrtOnAllDatasetImages()
    {
        var result = Compiled();
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var simulator = KmodelSimulator.Create(KmodelReader.Read(result.Kmodel!).Value!).Value!;
        var rows = File.ReadAllLines(TestData.Path("mobilenetv1-0.25-imagenet", "ort-top5.tsv")).Skip(1).ToList();
        int agree = 0;
        foreach (string row in rows)
        {
            var cols = row.Split('\t');
            int ortTop1 = int.Parse(cols[3].Split(' ')[0].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
            var image = ImageDecoder.Load(Path.Combine(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset"), cols[0])).Value!;
            var got = simulator.Run(ImagePreprocessor.ToChwBytes(image, 224, 224).Value!).Outputs[0].AsFloat32()!;
            agree += MnistCompileTests.ArgMax(got) == ortTop1 ? 1 : 0;
        }

        Console.WriteLine($"top-1 agreement with ORT: {agree}/{rows.Count}; logits SQNR on the calibration set {result.Report!.Accuracy[0].SqnrDb:F2} dB");
        Assert.IsTrue(agree >= (int)Math.Ceiling(0.85 * rows.Count), $"{agree}/{rows.Count}");
    }

    [TestMethod]
    public void CompilationIsDeterministic()
    {
        var first = Compiled();
        Assert.IsTrue(first.Succeeded, string.Join(Environment.NewLine, first.Diagnostics));
        string onnx = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        var dataset = Directory.GetFiles(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset"), "*.JPEG").Order(StringComparer.Ordinal).Take(16).ToList();
        var second = KmodelCompiler.Compile(onnx, new CompileOptions { Dataset = dataset, InputRange = (-1f, 1f) });
        CollectionAssert.AreEqual(first.Kmodel, second.Kmodel);
    }
}
