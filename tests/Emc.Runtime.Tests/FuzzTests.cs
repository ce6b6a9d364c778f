using Emc.Compiler.Compilation;
using Emc.Compiler.Tests.Compilation;
using Emc.Tests;

namespace Emc.Runtime.Tests;

/// <summary>
/// Robustness: 10,000 seeded mutants of real kmodels and of compiled random networks (which add the CPU layer types
/// the real files lack: QUANTIZED_ADD, CONCAT, RESIZE, AVERAGE_POOL2D, ...) go through load and (when cheap) run in
/// the ASan+UBSan build of the in-process mutation driver. Any out-of-bounds access, undefined behaviour or leak aborts it; a hang
/// exceeds the time budget.
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void TenThousandMutantsOnlyReturnErrorCodes(int seed)
    {
        RuntimeToolchain.Require("host", "gcc");
        var models = RealModels.MicrocontrollerSized.Append("kmodel-v3/kendryte-standalone-demo/face_detect/detect.kmodel")
            .Select(m => TestData.Path(m.Split('/'))).ToList();
        string dir = Path.Combine(Path.GetTempPath(), "emcrt-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (int network in new[] { 1, 2, 3, 4, 5, 6, 8, 11 })
            {
                var net = new RandomNetwork(network);
                var samples = CompiledModels.RandomSamples(4, 3 * net.Height * net.Width, network);
                var fc = network % 2 == 0 ? FullyConnectedTarget.Kpu : FullyConnectedTarget.Default;
                string path = Path.Combine(dir, $"random-{network}.kmodel");
                File.WriteAllBytes(path, CompiledModels.Compile(net.Model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax, FullyConnected = fc }));
                models.Add(path);
            }

            string driver = Path.Combine(RuntimeToolchain.ArtifactDirectory("host"), "emcrt-fuzz-asan");
            Assert.IsTrue(File.Exists(driver), "the host build did not produce the ASan+UBSan fuzz driver");
            var (code, output) = RuntimeToolchain.Execute(driver, [seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "10000", .. models], Budget);
            Console.WriteLine(output);
            Assert.AreEqual(0, code, output);
            StringAssert.Contains(output, "mutants 10000 ");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
