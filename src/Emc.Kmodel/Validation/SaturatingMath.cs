namespace Emc.Kmodel;

/// <summary>Size arithmetic on untrusted fields that cannot overflow: results saturate at <see cref="Cap"/>.</summary>
internal static class SaturatingMath
{
    /// <summary>Far beyond any real file or memory size, yet safe to add a few of.</summary>
    public const long Cap = 1L << 52;

    public static long Mul(long a, long b)
    {
        if (a <= 0 || b <= 0)
        {
            return 0;
        }

        return a > Cap / b ? Cap : Math.Min(a * b, Cap);
    }

    public static long Mul(long a, long b, long c) => Mul(Mul(a, b), c);

    public static long Mul(long a, long b, long c, long d) => Mul(Mul(a, b, c), d);

    public static long Add(long a, long b) => Math.Min(a + b, Cap);

    public static long RoundUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
