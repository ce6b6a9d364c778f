using Emc.Cli.Commands;
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
}
