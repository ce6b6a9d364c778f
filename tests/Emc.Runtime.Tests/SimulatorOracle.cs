using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Runtime.Tests;

/// <summary>The C# simulator, called in process: the bit-exact reference the C runtime must reproduce.</summary>
internal static class SimulatorOracle
{
    public static KmodelSimulator Create(byte[] kmodel, bool halfEven = false)
    {
        var read = KmodelReader.Read(kmodel);
        Assert.IsNotNull(read.Value, string.Join("; ", read.Diagnostics));
        var options = new SimulatorOptions { Rounding = halfEven ? ActivationRounding.HalfEven : ActivationRounding.SdkHalfUp };
        var created = KmodelSimulator.Create(read.Value, options);
        Assert.IsNotNull(created.Value, string.Join("; ", created.Diagnostics));
        return created.Value;
    }

    /// <summary>Every output's bytes concatenated in output order (what emcrt-run writes).</summary>
    public static byte[] Run(KmodelSimulator simulator, byte[] input) =>
        simulator.Run(input).Outputs.SelectMany(o => o.Bytes).ToArray();

    /// <summary>Seeded inputs the model takes: uint8 planar bytes, or float32 values in [−8, 8) for a float first layer.</summary>
    public static byte[] RandomInput(KmodelSimulator simulator, int seed)
    {
        var random = new Random(seed);
        byte[] input = new byte[simulator.InputBytes];
        if (simulator.InputKind == SimulatorInputKind.UInt8Planar)
        {
            random.NextBytes(input);
            return input;
        }

        for (int i = 0; i < input.Length; i += 4)
        {
            BitConverter.TryWriteBytes(input.AsSpan(i, 4), (float)((random.NextDouble() * 16) - 8));
        }

        return input;
    }

    /// <summary>
    /// Byte equality except that two NaNs at the same float32 position count as equal: which NaN payload an
    /// operation with NaN operands returns depends on the operand order the compiler (or JIT) picked and on the ISA
    /// (RISC-V always returns the canonical NaN), so no portable C can promise the simulator's payload bits.
    /// </summary>
    public static bool IdenticalUpToNanPayload(byte[] expected, byte[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                int at = i & ~3;
                if (expected.Length % 4 != 0 || !float.IsNaN(BitConverter.ToSingle(expected, at)) || !float.IsNaN(BitConverter.ToSingle(actual, at)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Asserts byte equality and names the first differing byte.</summary>
    public static void AssertIdentical(byte[] expected, byte[] actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: output sizes differ");
        int first = Enumerable.Range(0, expected.Length).FirstOrDefault(i => expected[i] != actual[i], -1);
        Assert.AreEqual(-1, first, $"{what}: first difference at byte {first} (simulator {(first >= 0 ? expected[first] : 0)}, C {(first >= 0 ? actual[first] : 0)})");
    }
}
