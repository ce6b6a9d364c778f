using Emc.Compiler.Compilation;
using Emc.Compiler.Tests.Compilation;

namespace Emc.Runtime.Tests;

/// <summary>The C runtime against the in-process simulator on kmodels our compiler produces.</summary>
[TestClass]
public sealed class CompiledModelTests
{
    public static IEnumerable<object[]> RandomSeeds => Enumerable.Range(1, 36).Select(s => new object[] { s });

    [TestMethod]
    public void MobileNetV1QuarterMatchesTheSimulator()
    {
        RuntimeToolchain.Require("host", "gcc");
        byte[] kmodel = CompiledModels.MobileNet;
        var simulator = SimulatorOracle.Create(kmodel);
        foreach (byte[] image in CompiledModels.MobileNetImages())
        {
            byte[] expected = SimulatorOracle.Run(simulator, image);
            SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run("host", kmodel, image), "MobileNetV1-0.25 on host");
        }

        byte[] random = SimulatorOracle.RandomInput(simulator, 5);
        SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, random), RuntimeToolchain.Run("host-asan", kmodel, random), "MobileNetV1-0.25 on host-asan");
    }

    [TestMethod]
    public void MobileNetV1QuarterOnRiscv64MatchesTheSimulator()
    {
        RuntimeToolchain.Require("riscv64", "riscv64-linux-gnu-gcc", "qemu-riscv64");
        byte[] kmodel = CompiledModels.MobileNet;
        var simulator = SimulatorOracle.Create(kmodel);
        byte[] image = CompiledModels.MobileNetImages().First();
        SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, image), RuntimeToolchain.Run("riscv64", kmodel, image), "MobileNetV1-0.25 on riscv64");
    }

    [TestMethod]
    [DataRow("mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx")]
    [DataRow("mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx")]
    public void MnistNetsMatchTheSimulatorOnEveryTarget(string folder, string file)
    {
        RuntimeToolchain.Require("host", "gcc");
        var (kmodel, images) = CompiledModels.Mnist(folder, file, 12);
        var simulator = SimulatorOracle.Create(kmodel);
        foreach (byte[] image in images)
        {
            SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, image), RuntimeToolchain.Run("host", kmodel, image), $"{folder} on host");
        }

        byte[] first = images[0];
        byte[] expected = SimulatorOracle.Run(simulator, first);
        SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run("host-asan", kmodel, first), $"{folder} on host-asan");
        RuntimeToolchain.Require("riscv64", "riscv64-linux-gnu-gcc", "qemu-riscv64");
        SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run("riscv64", kmodel, first), $"{folder} on riscv64");
        RuntimeToolchain.Require("cortex-m", "arm-none-eabi-gcc", "qemu-system-arm");
        SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run("cortex-m4", kmodel, first), $"{folder} on cortex-m4");
        SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run("cortex-m7", kmodel, first), $"{folder} on cortex-m7");
    }

    [TestMethod]
    [DynamicData(nameof(RandomSeeds))]
    public void RandomNetworksMatchTheSimulator(int seed)
    {
        CheckRandomNetwork(seed, FullyConnectedTarget.Default);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(7)]
    [DataRow(11)]
    [DataRow(20)]
    public void RandomNetworksWithKpuFullyConnectedMatchTheSimulator(int seed)
    {
        CheckRandomNetwork(seed, FullyConnectedTarget.Kpu);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(5)]
    [DataRow(9)]
    public void RandomNetworksWithSixteenBitWeightsMatchTheSimulator(int seed)
    {
        CheckRandomNetwork(seed, FullyConnectedTarget.Kpu, weightBits: 16);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(5)]
    [DataRow(6)]
    [DataRow(9)]
    public void RandomNetworksWithPerChannelRangesMatchTheSimulator(int seed)
    {
        var kmodel = CheckRandomNetwork(seed, FullyConnectedTarget.Default, ranges: ActivationRanges.PerChannel);
        var layers = Emc.Kmodel.KmodelReader.Read(kmodel).Value!.Layers;
        Assert.IsTrue(layers.Any(l => l.Type == Emc.Kmodel.KmodelLayerType.ChannelwiseDequantize), $"seed {seed}: no CHANNELWISE_DEQUANTIZE to run");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(5)]
    [DataRow(6)]
    [DataRow(7)]
    [DataRow(8)]
    public void RandomNetworksMatchTheSimulatorOnCrossTargets(int seed)
    {
        RuntimeToolchain.Require("riscv64", "riscv64-linux-gnu-gcc", "qemu-riscv64");
        RuntimeToolchain.Require("cortex-m", "arm-none-eabi-gcc", "qemu-system-arm");
        var net = new RandomNetwork(seed);
        var samples = CompiledModels.RandomSamples(8, 3 * net.Height * net.Width, seed);
        var fc = seed % 2 == 0 ? FullyConnectedTarget.Kpu : FullyConnectedTarget.Default;
        byte[] kmodel = CompiledModels.Compile(net.Model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax, FullyConnected = fc });
        byte[] expected = SimulatorOracle.Run(SimulatorOracle.Create(kmodel), samples[0]);
        foreach (string target in new[] { "riscv64", "cortex-m4", "cortex-m7" })
        {
            SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run(target, kmodel, samples[0]), $"seed {seed} ({net.Description}) on {target}");
        }
    }

    private static byte[] CheckRandomNetwork(int seed, FullyConnectedTarget fc, int weightBits = 8, ActivationRanges ranges = ActivationRanges.PerTensor)
    {
        RuntimeToolchain.Require("host", "gcc");
        var net = new RandomNetwork(seed);
        var samples = CompiledModels.RandomSamples(8, 3 * net.Height * net.Width, seed);
        var options = new CompileOptions { Calibration = CalibrationMethod.MinMax, FullyConnected = fc, WeightBits = weightBits, ActivationRanges = ranges };
        byte[] kmodel = CompiledModels.Compile(net.Model, samples, options);
        Assert.AreEqual(weightBits == 8 ? 1 : 0, kmodel[4] & 1, "header flags bit 0 (8-bit weights)");
        foreach (bool halfEven in new[] { false, true })
        {
            var simulator = SimulatorOracle.Create(kmodel, halfEven);
            foreach (byte[] sample in samples.Take(2))
            {
                SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, sample), RuntimeToolchain.Run("host", kmodel, sample, halfEven),
                    $"seed {seed} ({net.Description}), half-even {halfEven}");
            }
        }

        return kmodel;
    }
}
