using System.Buffers.Binary;
using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Compiler.Tests.Compilation;

namespace Emc.Runtime.Tests;

/// <summary>
/// Bit-exactness beyond well-formed files: small seeded edits of layer fields (shapes, addresses, shifts, conv
/// registers, pool windows) that the simulator still accepts must give byte-identical outputs in the C runtime —
/// or be rejected by it with an error code, never a different result. The one tolerated difference is the payload
/// of a NaN (a mutated address can make a float layer read arbitrary bytes as floats), see
/// <see cref="SimulatorOracle.IdenticalUpToNanPayload"/>.
/// </summary>
[TestClass]
public sealed class DifferentialMutationTests
{
    private const int MutantsPerModel = 120;
    private const long MaxWork = 20_000_000;

    public static IEnumerable<object[]> Models =>
    [
        ["real:" + RealModels.MicrocontrollerSized[0]],
        ["real:" + RealModels.MicrocontrollerSized[1]],
        ["real:" + RealModels.MicrocontrollerSized[2]],
        ["random:1"], ["random:2"], ["random:3"], ["random:4"], ["random:5"], ["random:6"], ["random:8"], ["random:11"],
    ];

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void AcceptedMutantsMatchTheSimulator(string source)
    {
        RuntimeToolchain.Require("host", "gcc");
        byte[] original = Load(source);
        // A stable seed (string.GetHashCode is randomized per process); EMC_DIFF_SEED explores other mutant sets.
        int baseSeed = int.TryParse(Environment.GetEnvironmentVariable("EMC_DIFF_SEED"), out int env) ? env : 0;
        var random = new Random(source.Aggregate(baseSeed, (h, ch) => (h * 31) + ch));
        int compared = 0, rejectedByC = 0, nanPayloads = 0;
        for (int m = 0; m < MutantsPerModel; m++)
        {
            byte[] mutant = (byte[])original.Clone();
            Mutate(mutant, random);
            var read = KmodelReader.Read(mutant);
            if (read.Value is null)
            {
                continue;
            }

            var created = KmodelSimulator.Create(read.Value, new SimulatorOptions { MaxMultiplyAccumulates = MaxWork });
            if (created.Value is not { } simulator)
            {
                continue;
            }

            byte[] input = SimulatorOracle.RandomInput(simulator, m);
            byte[] expected = SimulatorOracle.Run(simulator, input);
            var (ok, actual, error) = TryRun(mutant, input);
            if (!ok)
            {
                rejectedByC++;
                Console.WriteLine($"mutant {m}: the C runtime rejects what the simulator runs: {error.Trim()}");
                continue;
            }

            if (!SimulatorOracle.IdenticalUpToNanPayload(expected, actual))
            {
                string dump = Path.Combine(Path.GetTempPath(), $"emcrt-diff-{source.Replace(':', '-').Replace('/', '_')}-{m}");
                File.WriteAllBytes(dump + ".kmodel", mutant);
                File.WriteAllBytes(dump + ".in", input);
                Console.WriteLine($"mutant {m} differs; kept as {dump}.kmodel/.in");
                SimulatorOracle.AssertIdentical(expected, actual, $"{source} mutant {m}");
            }

            if (!expected.AsSpan().SequenceEqual(actual))
            {
                nanPayloads++;
                continue;
            }

            compared++;
        }

        Console.WriteLine($"{source}: {compared} accepted mutants byte-identical, {nanPayloads} identical but for NaN payloads, {rejectedByC} rejected only by the C runtime");
        Assert.IsGreaterThan(0, compared, "no mutant was accepted; the test compares nothing");
    }

    private static byte[] Load(string source)
    {
        if (source.StartsWith("real:", StringComparison.Ordinal))
        {
            return RealModels.Bytes(source["real:".Length..]);
        }

        int seed = int.Parse(source["random:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var net = new RandomNetwork(seed);
        var samples = CompiledModels.RandomSamples(4, 3 * net.Height * net.Width, seed);
        var fc = seed % 2 == 0 ? FullyConnectedTarget.Kpu : FullyConnectedTarget.Default;
        return CompiledModels.Compile(net.Model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax, FullyConnected = fc });
    }

    /// <summary>Edits one to three u32 fields of a random body's first 64 bytes or of a conv's register words.</summary>
    private static void Mutate(byte[] model, Random random)
    {
        uint outputs = BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(24));
        uint layers = BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(12));
        int table = 28 + (8 * (int)outputs);
        for (int edits = 1 + random.Next(3); edits > 0; edits--)
        {
            int layer = random.Next((int)layers);
            long start = table + (8L * layers);
            for (int i = 0; i < layer; i++)
            {
                start += BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(table + (8 * i) + 4));
            }

            uint type = BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(table + (8 * layer)));
            long at = start + (4 * random.Next(16));
            if (type == (uint)KmodelLayerType.K210Conv && random.Next(2) == 0)
            {
                at = BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan((int)start + 8)) + (4 * random.Next(24));
            }

            if (at + 4 > model.Length)
            {
                continue;
            }

            var field = model.AsSpan((int)at, 4);
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(field);
            value = random.Next(4) switch
            {
                0 => value + (uint)random.Next(1, 9),
                1 => value - (uint)random.Next(1, 9),
                2 => value ^ (1u << random.Next(32)),
                _ => (uint)random.Next(64),
            };
            BinaryPrimitives.WriteUInt32LittleEndian(field, value);
        }
    }

    private static (bool Ok, byte[] Output, string Error) TryRun(byte[] kmodel, byte[] input)
    {
        string dir = Path.Combine(Path.GetTempPath(), "emcrt-diff-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string model = Path.Combine(dir, "m.kmodel"), inPath = Path.Combine(dir, "in.bin"), outPath = Path.Combine(dir, "out.bin");
            File.WriteAllBytes(model, kmodel);
            File.WriteAllBytes(inPath, input);
            var (code, output) = RuntimeToolchain.Execute(
                Path.Combine(RuntimeToolchain.ArtifactDirectory("host"), "emcrt-run-asan"), [model, inPath, outPath], TimeSpan.FromMinutes(2));
            Assert.IsTrue(code is 0 or 1, $"emcrt-run-asan crashed (exit {code}):{Environment.NewLine}{output}");
            return code == 0 ? (true, File.ReadAllBytes(outPath), string.Empty) : (false, [], output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
