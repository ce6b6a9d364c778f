namespace Emc.Compiler.Quantization;

/// <summary>The rounding rules of spec §6: RoundEven for derived parameters, the SDK's carry shift.</summary>
internal static class Rounding
{
    public static double Even(double v) => Math.Round(v, MidpointRounding.ToEven);

    public static long EvenToLong(double v) => (long)Math.Round(v, MidpointRounding.ToEven);

    /// <summary>The SDK's <c>kpu_carry_shift</c>: <c>(v + 2^(s−1)) &gt;&gt; s</c> (floor shift), v for s = 0.</summary>
    public static long CarryShift(long v, int shift) => shift <= 0 ? v : (v + (1L << (shift - 1))) >> shift;
}
