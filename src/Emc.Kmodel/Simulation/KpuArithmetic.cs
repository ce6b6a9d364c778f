namespace Emc.Kmodel.Simulation;

/// <summary>The integer rounding primitives of the K210 runtime (spec §6.3, §6.4).</summary>
public static class KpuArithmetic
{
    /// <summary>
    /// The SDK's <c>kpu_carry_shift</c>, including its behaviour for negative odd intermediate values
    /// (−1.5 → −3 for shift 1): shift by s−1, then if the result is odd move one step away from zero.
    /// </summary>
    public static long CarryShift(long value, int shift)
    {
        if (shift <= 0)
        {
            return value;
        }

        value = Sar(value, shift - 1);
        if ((value & 1) != 0)
        {
            return value < 0 ? (value >> 1) - 1 : (value >> 1) + 1;
        }

        return value >> 1;
    }

    /// <summary>Shift right rounding half to even (nncase v0.2 kernels); exact for negative values too.</summary>
    public static long ShiftHalfEven(long value, int shift)
    {
        if (shift <= 0)
        {
            return value;
        }

        if (shift >= 64)
        {
            return 0; // |value| ≤ 2^63 ≤ half of 2^shift; the one exact half (−2^63 / 2^64) rounds to even 0.
        }

        long q = value >> shift;
        long f = unchecked(value - (q << shift));
        long half = 1L << (shift - 1);
        return f > half || (f == half && (q & 1) != 0) ? q + 1 : q;
    }

    /// <summary>Arithmetic shift right that saturates for counts ≥ 64 (C# would mask the count to 6 bits).</summary>
    public static long Sar(long value, int shift) => shift >= 63 ? (value < 0 ? -1 : 0) : value >> shift;

    /// <summary>Batch-norm stage: <c>((acc · mul) &gt;&gt; shift) + add</c>, floor shift, no rounding (§6.2).</summary>
    public static long BatchNorm(long acc, long mul, int shift, long add) => unchecked(Sar(acc * mul, shift) + add);

    /// <summary>Clamps to the uint8 range.</summary>
    public static byte SaturateToByte(long value) => value < 0 ? (byte)0 : value > 255 ? (byte)255 : (byte)value;
}
