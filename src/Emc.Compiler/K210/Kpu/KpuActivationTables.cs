using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Kpu;

/// <summary>
/// Activation tables for batch-norm outputs carrying 10 fractional bits (<c>T ≈ 2^10·q_out</c>, spec §7.5).
/// </summary>
internal static class KpuActivationTables
{
    /// <summary>Fractional bits of the batch-norm output.</summary>
    public const int FractionBits = 10;

    private static readonly long[] s_fixedStarts =
    [
        KpuActivationSegment.MinXStart,
        SignExtend36(0xf7d4cf4b8), SignExtend36(0xf8ed5a20c), SignExtend36(0xfa05e4f60), SignExtend36(0xfb2e05baa),
        SignExtend36(0xfc46908fe), SignExtend36(0xfd5f1b652), SignExtend36(0xfe77a63a6), SignExtend36(0xff9fc6ff0),
        SignExtend36(0xfffd4a9b7),
        0,
        0x7fffffff0, 0x7fffffff1, 0x7fffffff2, 0x7fffffff3, 0x7fffffff4,
    ];

    /// <summary>
    /// nncase's fixed table (spec §7.6): <c>out = clamp(R(T/2^10), 0, 255)</c>. Serves linear, ReLU, ReLU6
    /// and Clip — the clamp to the calibrated output range does the rest. The nine negative starts and the
    /// five unreachable ones are nncase's values (they are never selected with a non-zero slope).
    /// </summary>
    public static KpuActivationTable Linear()
    {
        var unit = FixedPoint.Split(Math.Pow(2, -FractionBits), 16, 20); // (1024, 20)
        var segments = new KpuActivationSegment[KpuActivationTable.SegmentCount];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = i == 10
                ? new KpuActivationSegment(0, (int)unit.Mul, unit.Shift, 0)
                : new KpuActivationSegment(s_fixedStarts[i], 0, 0, 0);
        }

        return new KpuActivationTable(segments);
    }

    /// <summary>
    /// LeakyReLU(α) for an output quantized with zero point <paramref name="zeroPoint"/> = −b_o (spec §7.6):
    /// 14 segments of slope α/2^10 below Z = zeroPoint·2^10 (each re-anchored so (T − start) stays small and
    /// non-negative), identity above. Returns false when the form does not apply (α outside (0, 1], or a
    /// zero point outside 0..255).
    /// </summary>
    public static bool TryLeaky(double alpha, int zeroPoint, out KpuActivationTable table)
    {
        table = Linear();
        if (!(alpha > 0 && alpha <= 1) || zeroPoint < 0 || zeroPoint > 255)
        {
            return false;
        }

        if (!FixedPoint.TrySplit(alpha / (1 << FractionBits), 16, 20, out var slope) || slope.Mul <= 0)
        {
            return false;
        }

        var unit = FixedPoint.Split(Math.Pow(2, -FractionBits), 16, 20);
        long z = (long)zeroPoint << FractionBits;
        var segments = new KpuActivationSegment[KpuActivationTable.SegmentCount];
        segments[0] = new KpuActivationSegment(KpuActivationSegment.MinXStart, 0, 0, 0);
        for (int i = 1; i <= 14; i++)
        {
            long a = (i - 1) * (long)zeroPoint / 14; // y_{i−1} = floor((i−1)·Z/14), Z ≥ 0
            long start = (long)Math.Floor(z - ((z - (a << FractionBits)) / alpha));
            start = Math.Max(start, KpuActivationSegment.MinXStart);
            segments[i] = new KpuActivationSegment(start, (int)slope.Mul, slope.Shift, (byte)a);
        }

        segments[15] = new KpuActivationSegment(z, (int)unit.Mul, unit.Shift, (byte)zeroPoint);
        table = new KpuActivationTable(segments);
        return true;
    }

    /// <summary>
    /// How far below the first half's values the second half's batch-norm outputs are moved (in T units: 2^16 output
    /// levels), so that one table can treat the halves of <see cref="KpuActivationKind.ReluAndNegativePart"/> differently.
    /// A first-half value lands in the second half's domain only 2^16 levels below zero, which no uint8 input reaches.
    /// </summary>
    public const long HalfOffset = 1L << (16 + FractionBits);

    /// <summary>
    /// ReLU for channels whose T is in the usual domain and min(x, 0) for those moved down by
    /// <see cref="HalfOffset"/>, both at zero point <paramref name="zeroPoint"/>; every active segment has slope 0 or
    /// the identity, so both rounding rules of spec §6.3 agree with the linear table's. Four segments, continuous:
    /// <code>
    ///   T &lt; −D          0                        (moved: below the uint8 range)
    ///   −D ≤ T &lt; Z − D   R((T + D)/2^10)           (moved: identity)
    ///   Z − D ≤ T &lt; Z    zero point               (moved: above 0; usual: below 0)
    ///   Z ≤ T             R((T − Z)/2^10) + zp     (usual: identity)
    /// </code>
    /// </summary>
    public static bool TryReluAndNegativePart(int zeroPoint, out KpuActivationTable table)
    {
        table = Linear();
        if (zeroPoint < 0 || zeroPoint > 255)
        {
            return false;
        }

        var unit = FixedPoint.Split(Math.Pow(2, -FractionBits), 16, 20);
        long z = (long)zeroPoint << FractionBits;
        var segments = new KpuActivationSegment[KpuActivationTable.SegmentCount];
        segments[0] = new KpuActivationSegment(KpuActivationSegment.MinXStart, 0, 0, 0);
        segments[1] = new KpuActivationSegment(-HalfOffset, (int)unit.Mul, unit.Shift, 0);
        segments[2] = new KpuActivationSegment(z - HalfOffset, 0, 0, (byte)zeroPoint);
        segments[3] = new KpuActivationSegment(z, (int)unit.Mul, unit.Shift, (byte)zeroPoint);
        for (int i = 4; i < segments.Length; i++)
        {
            segments[i] = new KpuActivationSegment(s_fixedStarts[15] - 15 + i, 0, 0, 0); // never reached
        }

        table = new KpuActivationTable(segments);
        return true;
    }

    private static long SignExtend36(long raw) => (raw & (1L << 35)) != 0 ? raw - (1L << 36) : raw;
}
