namespace Emc.Kmodel.Simulation;

/// <summary>
/// A byte table of the activation stage (§6.3) over the range of T where it varies, so that the common case is one
/// clamp and one load. Exact by construction: every entry is the exact function's value, and the two tails are
/// used only where they are proven constant (see <see cref="Build"/>); any T outside [<see cref="ValidLow"/>,
/// <see cref="ValidHigh"/>) is computed exactly by the caller. Only for tables whose segment starts 1..15 do not
/// decrease (every real file), where segment 0 applies below start 1 and segment 15 from start 15 up.
/// </summary>
internal sealed class ActivationLookup
{
    /// <summary>Largest table (bytes). The real files need ≤ ~2^19 (nncase YOLO) and ~2^13 (Maix-EMC MobileNet).</summary>
    public const long MaxEntries = 1 << 20;

    private ActivationLookup(long first, long end, long validLow, long validHigh, byte[] table)
    {
        First = first;
        End = end;
        ValidLow = validLow;
        ValidHigh = validHigh;
        Table = table;
    }

    /// <summary>A: the first T with its own entry (threshold 1).</summary>
    public long First { get; }

    /// <summary>B: one past the last T with its own entry; T ≥ B (below <see cref="ValidHigh"/>) uses the last entry.</summary>
    public long End { get; }

    /// <summary>Lowest T the table answers (long.MinValue when the low tail is constant, else A).</summary>
    public long ValidLow { get; }

    /// <summary>One past the highest T the table answers.</summary>
    public long ValidHigh { get; }

    /// <summary>[0]: the value below A; [1 + i]: f(A + i); [B − A + 1]: the value from B up.</summary>
    public byte[] Table { get; }

    /// <summary>
    /// Low tail: every T below threshold 1 selects segment 0; if its y_mul is 0 then <c>v = 0</c> for every such T
    /// (no overflow is possible) and f is the constant <c>clamp(bias_0)</c>.
    /// High tail: every T ≥ threshold 15 selects segment 15. With y_mul 0, f is constant for all of them. With
    /// y_mul &gt; 0 and T below <c>C = start + ⌊(2^63−1−255)/y_mul⌋ + 1</c>, <c>v = (T − start)·y_mul</c> is a non-negative
    /// int64 that grows with T, both rounding rules are non-decreasing for v ≥ 0 and give at most v, so
    /// <c>R(v) + bias</c> cannot wrap and f is non-decreasing there;
    /// once it reaches 255 it stays 255 up to C. B is the first T with f = 255 (found by bisection). Otherwise
    /// (negative y_mul, or 255 never reached, or a table longer than <see cref="MaxEntries"/>) T ≥ B is computed
    /// exactly. <paramref name="maxEntries"/> keeps the one-time build (an exact evaluation per entry) in proportion
    /// to the layer: a table far larger than the values a run produces would cost more than it saves.
    /// </summary>
    public static ActivationLookup? Build(KpuOutputStage stage, long threshold1, long threshold15, long start15, long mul0, long mul15, long maxEntries)
    {
        maxEntries = Math.Clamp(maxEntries, 1, MaxEntries);
        long a = threshold1;
        bool lowConstant = mul0 == 0;
        bool highConstant;
        long b, c;
        if (mul15 == 0)
        {
            (b, c, highConstant) = (threshold15, long.MaxValue, true);
        }
        else if (mul15 > 0)
        {
            c = (long)Int128.Min((Int128)start15 + ((long.MaxValue - 255) / mul15) + 1, long.MaxValue);
            highConstant = stage.Activate(c - 1) == 255;
            if (highConstant)
            {
                long lo = threshold15, hi = c - 1; // f(hi) = 255; find the first such T
                while (lo < hi)
                {
                    long mid = lo + (long)(unchecked((ulong)(hi - lo)) / 2);
                    if (stage.Activate(mid) == 255)
                    {
                        hi = mid;
                    }
                    else
                    {
                        lo = mid + 1;
                    }
                }

                b = lo;
            }
            else
            {
                b = threshold15 + 1;
            }
        }
        else
        {
            (b, c, highConstant) = (threshold15 + 1, long.MaxValue, false);
        }

        if (b > a + maxEntries)
        {
            (b, highConstant) = (a + maxEntries, false);
        }

        int length = (int)(b - a);
        byte[] table = new byte[length + 2];
        table[0] = lowConstant ? stage.Activate(a - 1) : (byte)0;
        for (int i = 0; i < length; i++)
        {
            table[i + 1] = stage.Activate(a + i);
        }

        table[length + 1] = highConstant ? stage.Activate(b) : (byte)0;
        return new ActivationLookup(a, b, lowConstant ? long.MinValue : a, highConstant ? c : b, table);
    }
}
