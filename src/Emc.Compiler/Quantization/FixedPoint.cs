namespace Emc.Compiler.Quantization;

/// <summary>A multiplier and right shift approximating a real factor: <c>v ≈ Mul / 2^Shift</c>.</summary>
internal readonly record struct FixedPointValue(long Mul, int Shift)
{
    public double Value => Mul / Math.Pow(2, Shift);
}

/// <summary>nncase's fixed-point split <c>E(v, N, S)</c> (spec §7.1).</summary>
internal static class FixedPoint
{
    /// <summary>
    /// Splits <paramref name="value"/> into a signed <paramref name="bits"/>-bit multiplier and a shift
    /// ≤ <paramref name="maxShift"/>: <c>frexp(v) = f·2^e</c>, <c>n = min(S, N − 1 − e)</c>,
    /// <c>m = RoundEven(v·2^n)</c>; when rounding reaches 2^(N−1) the shift is reduced by one.
    /// Returns false when the value needs a negative shift (too large for the field) or is not finite.
    /// </summary>
    public static bool TrySplit(double value, int bits, int maxShift, out FixedPointValue result)
    {
        result = default;
        if (!double.IsFinite(value))
        {
            return false;
        }

        if (value == 0)
        {
            return true;
        }

        int e = Math.ILogB(value) + 1; // v = f·2^e with 0.5 ≤ |f| < 1
        int n = Math.Min(maxShift, bits - 1 - e);
        double limit = Math.Pow(2, bits - 1);
        while (true)
        {
            if (n < 0)
            {
                return false;
            }

            double m = Math.Round(Math.ScaleB(value, n), MidpointRounding.ToEven);
            if (Math.Abs(m) < limit)
            {
                result = new FixedPointValue((long)m, n);
                return true;
            }

            n--;
        }
    }

    /// <summary><see cref="TrySplit"/> for values known to fit (throws otherwise: a compiler bug).</summary>
    public static FixedPointValue Split(double value, int bits, int maxShift) =>
        TrySplit(value, bits, maxShift, out var result)
            ? result
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit a {bits}-bit multiplier with shift ≤ {maxShift}");
}
