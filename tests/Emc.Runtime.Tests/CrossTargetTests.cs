namespace Emc.Runtime.Tests;

/// <summary>
/// The cross builds under emulation: riscv64 Linux (static, qemu-riscv64) on every real model, and bare-metal
/// Cortex-M4F (MPS2 AN386) and Cortex-M7 (MPS2 AN500) with semihosting file I/O on the models that fit their RAM.
/// </summary>
[TestClass]
public sealed class CrossTargetTests
{
    [TestMethod]
    [DynamicData(nameof(RealModels.AllRows), typeof(RealModels))]
    public void Riscv64MatchesTheSimulator(string model)
    {
        RuntimeToolchain.Require("riscv64", "riscv64-linux-gnu-gcc", "qemu-riscv64");
        byte[] kmodel = RealModels.Bytes(model);
        var simulator = SimulatorOracle.Create(kmodel);
        byte[] input = SimulatorOracle.RandomInput(simulator, 3);
        SimulatorOracle.AssertIdentical(SimulatorOracle.Run(simulator, input), RuntimeToolchain.Run("riscv64", kmodel, input), model);
    }

    [TestMethod]
    [DynamicData(nameof(RealModels.MicrocontrollerRows), typeof(RealModels))]
    public void CortexMMatchesTheSimulator(string model)
    {
        RuntimeToolchain.Require("cortex-m", "arm-none-eabi-gcc", "qemu-system-arm");
        byte[] kmodel = RealModels.Bytes(model);
        var simulator = SimulatorOracle.Create(kmodel);
        byte[] input = SimulatorOracle.RandomInput(simulator, 4);
        byte[] expected = SimulatorOracle.Run(simulator, input);
        foreach (string target in new[] { "cortex-m4", "cortex-m7" })
        {
            SimulatorOracle.AssertIdentical(expected, RuntimeToolchain.Run(target, kmodel, input), $"{model} on {target}");
        }
    }
}
