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
        for (int table = 0; table < 300; table++)
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
