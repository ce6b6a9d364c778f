using Emc.Compiler.Calibration;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering;
using Emc.Diagnostics;
using Emc.Tests;

namespace Emc.Compiler.Tests.Calibration;

/// <summary>Issue 14 item 3: raw float32 .dat/.bin/.f32 files of exactly the input's size are calibration samples.</summary>
[TestClass]
public sealed class RawFloatSampleTests
{
    private static readonly Preprocessing s_unit = new([1.0 / 255], [0], false);

    [TestMethod]
    public void RawFloatFileOfTheInputSizeIsTheModelInput()
    {
        string folder = TempFolder();
        float[] values = [0f, 0.5f, 1f, 0.25f];
        foreach (string ext in new[] { ".dat", ".bin", ".f32" })
        {
            File.WriteAllBytes(Path.Combine(folder, "s" + ext), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }

        var diagnostics = new DiagnosticBag();
        var samples = DatasetLoader.Load(new CompileOptions { Dataset = [folder] }, InputLayout.Planar(new Shape(1, 1, 2, 2)), s_unit, diagnostics);

        Assert.IsFalse(diagnostics.HasErrors, string.Join("\n", diagnostics));
        Assert.AreEqual(3, samples.Count);
        foreach (var sample in samples)
        {
            CollectionAssert.AreEqual(values, sample.ModelInput);
            CollectionAssert.AreEqual(new byte[] { 0, 128, 255, 64 }, sample.DeviceInput);
        }
    }

    [TestMethod]
    public void RawFileOfAnotherSizeNamesExpectedAndActualBytes()
    {
        string file = Path.Combine(TempFolder(), "short.dat");
        File.WriteAllBytes(file, new byte[12]);

        var diagnostics = new DiagnosticBag();
        var samples = DatasetLoader.Load(new CompileOptions { Dataset = [file] }, InputLayout.Planar(new Shape(1, 1, 2, 2)), s_unit, diagnostics);

        Assert.AreEqual(0, samples.Count);
        var error = diagnostics.Single();
        Assert.AreEqual("EMC0604", error.Code);
        StringAssert.Contains(error.Message, "12 bytes");
        StringAssert.Contains(error.Message, "16 bytes");
    }

    [TestMethod]
    public void MnistInputFilesAreSamples()
    {
        string inputs = TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "inputs");

        var diagnostics = new DiagnosticBag();
        var samples = DatasetLoader.Load(new CompileOptions { Dataset = [inputs] }, InputLayout.Planar(new Shape(1, 1, 28, 28)), new Preprocessing([2.0 / 255], [-1], false), diagnostics);

        Assert.IsFalse(diagnostics.HasErrors, string.Join("\n", diagnostics));
        Assert.AreEqual(Directory.GetFiles(inputs, "*.dat").Length, samples.Count);
        Assert.IsTrue(samples.All(s => s.ModelInput.Length == 784 && s.ModelInput.Any(v => v != 0)));
    }

    private static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "emc-raw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
