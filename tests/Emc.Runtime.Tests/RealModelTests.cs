namespace Emc.Runtime.Tests;

/// <summary>
/// The C runtime against the in-process simulator on every real kmodel v3 file: byte-identical outputs for seeded
/// random inputs and the real images the Kmodel tests use, on every host build (gcc, clang, ASan+UBSan) and both
/// activation roundings.
/// </summary>
[TestClass]
public sealed class RealModelTests
{
    [TestMethod]
    [DynamicData(nameof(RealModels.AllRows), typeof(RealModels))]
    public void HostBuildsMatchTheSimulatorOnRandomInputs(string model)
    {
        RuntimeToolchain.Require("host", "gcc");
        byte[] kmodel = RealModels.Bytes(model);
        var simulator = SimulatorOracle.Create(kmodel);
        for (int seed = 1; seed <= 2; seed++)
        {
            byte[] input = SimulatorOracle.RandomInput(simulator, seed);
            byte[] expected = SimulatorOracle.Run(simulator, input);
            foreach (string target in new[] { "host", "host-clang", "host-asan" })
            {
                if (target == "host-clang" && !File.Exists(Path.Combine(RuntimeToolchain.ArtifactDirectory("host"), "emcrt-run-clang")))
                {
                    continue; // clang is optional on the host; gcc covers the C99 build
                }

                SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run(target, kmodel, input), $"{model} seed {seed} on {target}");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(RealModels.AllRows), typeof(RealModels))]
    public void HalfEvenRoundingMatchesTheSimulator(string model)
    {
        RuntimeToolchain.Require("host", "gcc");
        byte[] kmodel = RealModels.Bytes(model);
        var simulator = SimulatorOracle.Create(kmodel, halfEven: true);
        byte[] input = SimulatorOracle.RandomInput(simulator, 7);
        SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, input), RuntimeToolchain.Run("host", kmodel, input, halfEven: true), model);
    }

    [TestMethod]
    [DataRow("kmodel-v3/nncase-v0.1.0-rc5/20classes_yolo/yolo.kmodel", "kmodel-v3/nncase-v0.1.0-rc5/20classes_yolo/dog.bmp")]
    [DataRow("kmodel-v3/kendryte-standalone-demo/kpu_20classes/yolo.kmodel", "kmodel-v3/nncase-v0.1.0-rc5/20classes_yolo/dog.bmp")]
    [DataRow(RealModels.MbnetV1, "maix-emc-mbnetv1/mbnetv1_dataset/tiger224.bmp")]
    public void RealImagesMatchTheSimulator(string model, string image)
    {
        RuntimeToolchain.Require("host", "gcc");
        byte[] kmodel = RealModels.Bytes(model);
        byte[] input = RealModels.PlanarRgb(image.Split('/'));
        foreach (bool halfEven in new[] { false, true })
        {
            var simulator = SimulatorOracle.Create(kmodel, halfEven);
            SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, input), RuntimeToolchain.Run("host", kmodel, input, halfEven), $"{model} on {image}");
        }
    }
}
