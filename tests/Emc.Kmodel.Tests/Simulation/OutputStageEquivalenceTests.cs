using Emc.Kmodel.Simulation;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>
/// The row-wise branch-free batch-norm + activation (<see cref="KpuOutputStage"/>) against the literal int64
/// formulas of spec §6.2–6.3 (<see cref="KpuArithmetic.BatchNorm"/> then <see cref="KpuActivation.Apply"/>), on
/// random tables in both rounding modes, with accumulators aimed at segment starts (±1), exact halves of the
/// rounding shift, and the extremes where int64 products wrap.
/// </summary>
[TestClass]
public sealed class OutputStageEquivalenceTests
{
    private const int Channels = 4;

    [TestMethod]
    [DataRow(ActivationRounding.SdkHalfUp)]
    [DataRow(ActivationRounding.HalfEven)]
    public void RowPathEqualsReferenceOnRandomTables(ActivationRounding rounding)
    {
        var random = new Random(rounding == ActivationRounding.HalfEven ? 20_251 : 10_007);
        long mismatches = 0, checkedValues = 0;
        var distinctOutputs = new HashSet<byte>();
        for (int table = 0; table < 200; table++)
        {
            var (reference, stage, normMul, normShift, normAdd, starts, shifts) = RandomTables(random, rounding, table);
            int n = 64;
            int[] p = new int[n];
            long[] extra = new long[n];
            byte[] actual = new byte[n];
            for (int o = 0; o < Channels; o++)
            {
                long constant = random.Next(-1000, 1000);
                for (int i = 0; i < n; i++)
                {
                    // Aim T at a segment start (±1) or at an exact half of its shift when BN is the identity.
                    long wantedT = random.Next(4) switch
                    {
                        0 => starts[random.Next(16)] + random.Next(-1, 2),
                        1 => starts[random.Next(16)] + (1L << Math.Clamp(shifts[random.Next(16)] - 1, 0, 40)) * random.Next(0, 8),
                        2 => random.NextInt64(-(1L << 36), 1L << 36),
                        _ => random.Next(-5000, 5000),
                    };
                    long acc = normMul[o] == 1 && normShift[o] == 0 ? wantedT - normAdd[o] : wantedT;
                    p[i] = random.Next(8) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(-100_000, 100_000);
                    extra[i] = random.Next(8) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : acc - constant - p[i];
                }

                stage.FinishRow(o, p, extra, constant, actual);
                for (int i = 0; i < n; i++)
                {
                    long acc = unchecked(p[i] + extra[i] + constant);
                    byte expected = reference.Apply(KpuArithmetic.BatchNorm(acc, normMul[o], normShift[o], normAdd[o]));
                    checkedValues++;
                    distinctOutputs.Add(expected);
                    if (expected != actual[i])
                    {
                        mismatches++;
                        Assert.AreEqual(expected, actual[i], $"table {table} channel {o} acc {acc} (mode {rounding})");
                    }
                }
            }
        }

        Assert.AreEqual(0, mismatches);
        Assert.IsTrue(distinctOutputs.Count > 200, $"the random tables must exercise the whole output range, saw {distinctOutputs.Count} values in {checkedValues}");
    }

    [TestMethod]
    [DataRow(ActivationRounding.SdkHalfUp)]
    [DataRow(ActivationRounding.HalfEven)]
    public void ActivateEqualsReferenceAtEveryStartAndHalf(ActivationRounding rounding)
    {
        // Exhaustive around each boundary of a fixed, hand-readable table: starts every 1024, shifts 0..15 and
        // beyond 63 (half-even's "everything rounds to 0" branch), negative y_mul (the SDK's −1.5 → −3 quirk).
        long[] starts = new long[16];
        int[] mul = new int[16], shift = new int[16];
        byte[] bias = new byte[16];
        starts[0] = KpuActivationSegment.MinXStart;
        for (int j = 1; j < 16; j++)
        {
            starts[j] = (j - 8) * 1024L;
            mul[j] = j % 5 == 0 ? -(j * 37) : j * 113;
            shift[j] = j == 15 ? 70 : j;
            bias[j] = (byte)(j * 16);
        }

        var reference = new KpuActivation(starts, mul, shift, bias, rounding);
        var stage = new KpuOutputStage([1], [0], [0], starts, mul, shift, bias, rounding);
        for (int j = 0; j < 16; j++)
        {
            long from = j == 0 ? -20_000 : starts[j] - 3;
            for (long t = from; t < from + 1030; t++)
            {
                Assert.AreEqual(reference.Apply(t), stage.Activate(t), $"T {t} ({rounding})");
            }
        }

        foreach (long t in new[] { long.MinValue, long.MinValue + 1, long.MaxValue, long.MaxValue - 1, -(1L << 35), (1L << 35) - 1 })
        {
            Assert.AreEqual(reference.Apply(t), stage.Activate(t), $"T {t} ({rounding})");
        }
    }

    [TestMethod]
    [DataRow(ActivationRounding.SdkHalfUp)]
    [DataRow(ActivationRounding.HalfEven)]
    public void LookupTableEdgesAndTailsEqualReference(ActivationRounding rounding)
    {
        // Tables shaped like the real files' (Maix-EMC ReLU6: starts 0..5734, y_mul 21760 >> 18; nncase: y_mul 102 >> 19
        // with a steeper last segment) and adversarial ones: shift 0 with y_mul 1 (R(v) + bias near int64 overflow),
        // negative last y_mul, non-zero segment-0 y_mul (no constant low tail), a window beyond MaxEntries.
        var tables = new List<(long[] Starts, int[] Mul, int[] Shift, byte[] Bias)>
        {
            Table(i => (i - 1) * 410L, i => i == 0 ? 0 : 21760, _ => 18, i => (byte)(i * 15)),
            Table(i => -120_000 + ((i - 1) * 10_240L), i => i == 0 ? 0 : i == 15 ? 1024 : 102, _ => 19, i => (byte)(i * 16)),
            Table(i => (i - 1) * 7L, i => i == 0 ? 0 : 1, _ => 0, i => (byte)(i == 0 ? 3 : 200)),
            Table(i => (i - 1) * 100L, i => i == 0 ? 0 : i == 15 ? -300 : 50, _ => 4, i => (byte)(i * 9)),
            Table(i => (i - 1) * 100L, i => i == 0 ? 7 : 50, _ => 4, i => (byte)(i * 9)),
            Table(i => (i - 1) * (1L << 17), i => i == 0 ? 0 : 3, _ => 30, i => (byte)i),
        };

        // Each table also with a window capped at 100 entries (a small layer's budget): more values go the exact way.
        foreach (var (starts, mul, shift, bias, entries) in tables.SelectMany(t => new[] { (t.Starts, t.Mul, t.Shift, t.Bias, ActivationLookup.MaxEntries), (t.Starts, t.Mul, t.Shift, t.Bias, 100L) }))
        {
            var reference = new KpuActivation(starts, mul, shift, bias, rounding);
            var stage = new KpuOutputStage([1], [0], [0], starts, mul, shift, bias, rounding, entries);
            ActivationLookup lookup = stage.Lookup!;
            Assert.IsNotNull(lookup);
            var probes = new List<long> { long.MinValue, long.MaxValue, 0, -1, 1 };
            foreach (long edge in new[] { lookup.First, lookup.End, lookup.ValidLow, lookup.ValidHigh, starts[1], starts[15] })
            {
                for (long d = -3; d <= 3; d++)
                {
                    probes.Add(unchecked(edge + d));
                }
            }

            var random = new Random(starts.Length + mul[15]);
            for (int i = 0; i < 2000; i++)
            {
                probes.Add(lookup.First + random.NextInt64(-1000, lookup.End - lookup.First + 1000));
            }

            long[] t = probes.ToArray();
            byte[] actual = new byte[t.Length];
            stage.FinishRow(0, new int[t.Length], t, 0, actual);
            for (int i = 0; i < t.Length; i++)
            {
                Assert.AreEqual(reference.Apply(t[i]), actual[i], $"T {t[i]} (table y_mul15 {mul[15]}, window [{lookup.First}, {lookup.End}), valid [{lookup.ValidLow}, {lookup.ValidHigh}), {rounding})");
            }
        }

        static (long[], int[], int[], byte[]) Table(Func<int, long> start, Func<int, int> mul, Func<int, int> shift, Func<int, byte> bias)
        {
            long[] s = new long[16];
            int[] m = new int[16], sh = new int[16];
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                (s[i], m[i], sh[i], b[i]) = (i == 0 ? KpuActivationSegment.MinXStart : start(i), mul(i), shift(i), bias(i));
            }

            return (s, m, sh, b);
        }
    }

    private static (KpuActivation Reference, KpuOutputStage Stage, long[] NormMul, int[] NormShift, long[] NormAdd, long[] Starts, int[] Shifts)
        RandomTables(Random random, ActivationRounding rounding, int table)
    {
        long[] starts = new long[16];
        int[] mul = new int[16], shift = new int[16];
        byte[] bias = new byte[16];
        bool monotone = table % 4 != 3;
        starts[0] = table % 7 == 6 ? random.NextInt64(-(1L << 35), 1L << 35) : KpuActivationSegment.MinXStart;
        for (int j = 1; j < 16; j++)
        {
            starts[j] = monotone
                ? starts[j - 1] + (j == 1 ? random.NextInt64(1L << 34, 1L << 35) : random.Next(0, 3) == 0 ? 0 : random.Next(1, 1 << 12))
                : random.NextInt64(-(1L << 35), 1L << 35);
            mul[j] = random.Next(5) == 0 ? random.Next(short.MinValue, 0) : random.Next(0, ushort.MaxValue + 1);
            shift[j] = random.Next(10) == 0 ? random.Next(0, 256) : random.Next(0, 20);
            bias[j] = (byte)random.Next(256);
        }

        mul[0] = random.Next(0, 4096);
        shift[0] = random.Next(0, 16);
        long[] normMul = new long[Channels];
        int[] normShift = new int[Channels];
        long[] normAdd = new long[Channels];
        for (int o = 0; o < Channels; o++)
        {
            bool identity = o == 0;
            normMul[o] = identity ? 1 : random.Next(-(1 << 23), 1 << 23);
            normShift[o] = identity ? 0 : random.Next(0, 16);
            normAdd[o] = identity ? 0 : random.Next(int.MinValue, int.MaxValue);
        }

        return (new KpuActivation(starts, mul, shift, bias, rounding),
            new KpuOutputStage(normMul, normShift, normAdd, starts, mul, shift, bias, rounding),
            normMul, normShift, normAdd, starts, shift);
    }
}
