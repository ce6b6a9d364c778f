using System.Text.Json;
using Emc.Cli.Commands;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Imaging;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Cli.Tests;

[TestClass]
public sealed class SimulateCommandTests
{
    private static DirectoryInfo NewDir() => new(Path.Combine(Path.GetTempPath(), "emc-sim-" + Guid.NewGuid().ToString("N")));

    [TestMethod]
    public void ImageInputClassifiesTigerAndWritesOutputsAndTraces()
    {
        var model = new FileInfo(TestData.Path("maix-emc-mbnetv1", "mbnetv1.kmodel"));
        var image = new FileInfo(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", "tiger224.bmp"));
        var dir = NewDir();
        try
        {
            var stdout = new StringWriter();
            int code = SimulateCommand.Run(model, image, dir, trace: true, ActivationRounding.SdkHalfUp, stdout, new StringWriter());
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout.ToString(), "argmax 292");
            float[] probabilities = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir.FullName, "output_0.f32"))).ToArray();
            Assert.HasCount(1000, probabilities);
            Assert.AreEqual(0.91, probabilities[292], 0.02);
            Assert.IsTrue(File.Exists(Path.Combine(dir.FullName, "output_0.bin")));
            Assert.IsTrue(File.Exists(Path.Combine(dir.FullName, "layer_35_SOFTMAX.bin")));
            // Layer 0: 24×112×112 planar conv output.
            Assert.AreEqual(24L * 112 * 112, new FileInfo(Path.Combine(dir.FullName, "layer_0_K210_CONV.bin")).Length);
        }
        finally
        {
            if (dir.Exists)
            {
                dir.Delete(true);
            }
        }
    }

    [TestMethod]
    public void RawInputOfTheWrongSizeIsEmc0406AndExitCode1()
    {
        var model = new FileInfo(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel"));
        var dir = NewDir();
        string raw = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(raw, new byte[15]);
            var stderr = new StringWriter();
            int code = SimulateCommand.Run(model, new FileInfo(raw), dir, false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr.ToString(), "error EMC0406");

            // The right size (4 float32) runs: 16 bytes.
            File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(new float[] { 5.1f, 3.8f, 1.9f, 0.4f }.AsSpan()).ToArray());
            var stdout = new StringWriter();
            Assert.AreEqual(0, SimulateCommand.Run(model, new FileInfo(raw), dir, false, ActivationRounding.SdkHalfUp, stdout, new StringWriter()));
            StringAssert.Contains(stdout.ToString(), "argmax 0");
        }
        finally
        {
            File.Delete(raw);
            if (dir.Exists)
            {
                dir.Delete(true);
            }
        }
    }

    [TestMethod]
    public void NotAKmodelReportsTheReaderDiagnostic()
    {
        var model = new FileInfo(TestData.Path("kmodel-v3", "negative-not-v3", "iris_kmodel_v4_nncase-v0.2.0-alpha1.kmodel"));
        var stderr = new StringWriter();
        int code = SimulateCommand.Run(model, model, NewDir(), false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr);
        Assert.AreEqual(1, code);
        StringAssert.Contains(stderr.ToString(), "EMC03");
    }

    [TestMethod]
    public void Float32TensorProtoForIrisGivesTheDeviceOutputAsOutputPb()
    {
        // Input and on-device output from nncase's iris example (expected.json, see PROVENANCE.md).
        string folder = TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        float[] features = expected.RootElement.GetProperty("input").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] device = expected.RootElement.GetProperty("expected_output").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var dir = NewDir();
        string input = Path.Combine(Path.GetTempPath(), "emc-sim-iris-" + Guid.NewGuid().ToString("N") + ".pb");
        try
        {
            TensorProtoConverter.WriteFile(Tensor.Create(new Shape(1, 4), features), input, "features");
            int code = SimulateCommand.Run(new FileInfo(Path.Combine(folder, "iris.kmodel")), new FileInfo(input), dir, false, ActivationRounding.SdkHalfUp, new StringWriter(), new StringWriter());
            Assert.AreEqual(0, code);

            var output = TensorProtoConverter.ReadFile(Path.Combine(dir.FullName, "output_0.pb"));
            Assert.IsNotNull(output.Value, string.Join("; ", output.Diagnostics));
            Assert.AreEqual(DataType.Float32, output.Value.Type);
            CollectionAssert.AreEqual(new[] { 3 }, output.Value.Shape.ToArray());
            float[] values = output.Value.As<float>().Data;
            for (int i = 0; i < device.Length; i++)
            {
                Assert.AreEqual(device[i], values[i], Math.Abs(device[i]) * 1e-5, $"output {i}");
            }

            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(dir.FullName, "output_0.bin")),
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), "the .pb holds the same float32 view as the .bin");
        }
        finally
        {
            File.Delete(input);
            if (dir.Exists)
            {
                dir.Delete(true);
            }
        }
    }

    [TestMethod]
    public void Uint8TensorProtoFeedsAConvFirstModelAndFloat32IsRefused()
    {
        var model = new FileInfo(TestData.Path("maix-emc-mbnetv1", "mbnetv1.kmodel"));
        var image = ImageDecoder.Load(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", "tiger224.bmp"));
        Assert.IsNotNull(image.Value);
        byte[] planar = ImagePreprocessor.ToChwBytes(image.Value, 224, 224).Value!;
        var dir = NewDir();
        string input = Path.Combine(Path.GetTempPath(), "emc-sim-tiger-" + Guid.NewGuid().ToString("N") + ".pb");
        try
        {
            // uint8 C×H×W: the tiger (class 292, p ≈ 0.91 per the Maix-EMC test data) as with the image input.
            TensorProtoConverter.WriteFile(Tensor.Create(new Shape(1, 3, 224, 224), planar), input);
            var stdout = new StringWriter();
            Assert.AreEqual(0, SimulateCommand.Run(model, new FileInfo(input), dir, false, ActivationRounding.SdkHalfUp, stdout, new StringWriter()));
            StringAssert.Contains(stdout.ToString(), "argmax 292");
            var output = TensorProtoConverter.ReadFile(Path.Combine(dir.FullName, "output_0.pb"));
            Assert.IsNotNull(output.Value);
            CollectionAssert.AreEqual(new[] { 1000 }, output.Value.Shape.ToArray());
            Assert.AreEqual(0.91, output.Value.As<float>().Data[292], 0.02);

            // float32 for a conv-first model: a diagnostic that says what to pass instead.
            TensorProtoConverter.WriteFile(Tensor.Create(new Shape(1, 3, 224, 224), planar.Select(b => (float)b).ToArray()), input);
            var stderr = new StringWriter();
            Assert.AreEqual(1, SimulateCommand.Run(model, new FileInfo(input), dir, false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "error EMC0010");
            StringAssert.Contains(stderr.ToString(), "pass a uint8 TensorProto");

            // uint8 of the wrong size.
            TensorProtoConverter.WriteFile(Tensor.Create(new Shape(3, 100), new byte[300]), input);
            stderr = new StringWriter();
            Assert.AreEqual(1, SimulateCommand.Run(model, new FileInfo(input), dir, false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "has 300 values");

            // Not a TensorProto at all: the loader's diagnostic, no exception.
            File.WriteAllBytes(input, [0xFF, 0xFF, 0xFF, 0x07, 0x01]);
            stderr = new StringWriter();
            Assert.AreEqual(1, SimulateCommand.Run(model, new FileInfo(input), dir, false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "error EMC");
        }
        finally
        {
            File.Delete(input);
            if (dir.Exists)
            {
                dir.Delete(true);
            }
        }
    }
}
