using System.Runtime.CompilerServices;

namespace Emc.Kmodel.Simulation;

/// <summary>
/// Batch-norm + activation + saturation (spec §6.2, §6.3) for a whole row of accumulators of one output channel,
/// branch-free per element. Bit-identical to <see cref="KpuConvParameters.Finish"/> (the int64 reference, which
/// stays the test oracle) for every input, including wrapped products and malformed tables, because:
/// <list type="bullet">
/// <item>Shift counts are pre-clamped so that a plain <c>&gt;&gt;</c> equals <see cref="KpuArithmetic.Sar"/>: a count
/// ≥ 63 gives the sign fill either way, a negative count is masked to 6 bits by both.</item>
/// <item>The segment condition becomes one form, <c>threshold ≤ T</c>: the half-even rule's <c>start &lt; T</c> equals
/// <c>start + 1 ≤ T</c> because a start is a 36-bit value, so <c>start + 1</c> cannot overflow.</item>
/// <item>With non-decreasing thresholds the condition holds on a prefix of segments 1..15, so a 4-step
/// branch-free bisection finds its last index; otherwise a 15-step scan keeps the highest index that holds
/// (index 0 when none does), exactly what the reference's downward search returns.</item>
/// <item>The carry shift for s ≥ 1 is <c>(v' &gt;&gt; 1) + (v' odd ? sign(v') : 0)</c> with <c>v' = v &gt;&gt; (s − 1)</c>,
/// which is the reference's branch written as arithmetic (sign(v') = −1 for v' &lt; 0, else +1).</item>
/// </list>
/// </summary>
internal sealed class KpuOutputStage
{
    private const int Segments = KpuActivation.SegmentCount;

    private readonly long[] _normMul;
    private readonly int[] _normShift;
    private readonly long[] _normAdd;

    // Per segment (16 entries): the bisection probes at most index 15.
    private readonly long[] _threshold = new long[Segments];
    private readonly long[] _start = new long[Segments];
    private readonly long[] _mul = new long[Segments];
    private readonly long[] _bias = new long[Segments];
    private readonly int[] _roundShift = new int[Segments];   // carry: s − 1 clamped; half-even: s clamped to 1..63
    private readonly int[] _roundKind = new int[Segments];    // 0: R(v) = v, 1: shift, 2: R(v) = 0 (half-even, s ≥ 64)
    private readonly bool _halfEven;
    private readonly bool _monotone;
    private readonly long _lookupEntries;
    private ActivationLookup? _lookup;

    public KpuOutputStage(ReadOnlySpan<long> normMul, ReadOnlySpan<int> normShift, ReadOnlySpan<long> normAdd,
        ReadOnlySpan<long> start, ReadOnlySpan<int> mul, ReadOnlySpan<int> shift, ReadOnlySpan<byte> bias, ActivationRounding rounding,
        long lookupEntries = ActivationLookup.MaxEntries)
    {
        _lookupEntries = lookupEntries;
        _normMul = normMul.ToArray();
        _normAdd = normAdd.ToArray();
        _normShift = new int[normShift.Length];
        for (int o = 0; o < normShift.Length; o++)
        {
            _normShift[o] = ClampShift(normShift[o]);
        }

        _halfEven = rounding == ActivationRounding.HalfEven;
        _monotone = true;
        for (int j = 0; j < Segments; j++)
        {
            _start[j] = start[j];
            _threshold[j] = _halfEven ? start[j] + 1 : start[j];
            _mul[j] = mul[j];
            _bias[j] = bias[j];
            int s = shift[j];
            if (s <= 0)
            {
                _roundKind[j] = 0;
            }
            else if (_halfEven)
            {
                _roundKind[j] = s >= 64 ? 2 : 1;
                _roundShift[j] = Math.Min(s, 63);
            }
            else
            {
                _roundKind[j] = 1;
                _roundShift[j] = ClampShift(s - 1);
            }

            if (j >= 2)
            {
                _monotone &= _threshold[j - 1] <= _threshold[j];
            }
        }
    }

    /// <summary>
    /// <c>dst[j] = activation(batchnorm(p[j] + extra[j] + constant))</c> for output channel <paramref name="o"/>.
    /// </summary>
    public void FinishRow(int o, ReadOnlySpan<int> p, ReadOnlySpan<long> extra, long constant, Span<byte> dst)
    {
        int n = dst.Length;
        if (p.Length < n || extra.Length < n)
        {
            throw new ArgumentException("row spans are shorter than the destination");
        }

        if (n == 0)
        {
            return;
        }

        long normMul = _normMul[o], normAdd = _normAdd[o];
        int normShift = _normShift[o];
        ref int p0 = ref Unsafe.AsRef(in p[0]);
        ref long e0 = ref Unsafe.AsRef(in extra[0]);
        ref byte d0 = ref dst[0];
        if (Lookup is not { } lookup)
        {
            for (int i = 0; i < n; i++)
            {
                long acc = unchecked(Unsafe.Add(ref p0, i) + Unsafe.Add(ref e0, i) + constant);
                Unsafe.Add(ref d0, i) = Activate(unchecked(((acc * normMul) >> normShift) + normAdd));
            }

            return;
        }

        long below = lookup.First - 1, end = lookup.End, low = lookup.ValidLow, high = lookup.ValidHigh;
        ref byte table = ref lookup.Table[0];
        for (int i = 0; i < n; i++)
        {
            long acc = unchecked(Unsafe.Add(ref p0, i) + Unsafe.Add(ref e0, i) + constant);
            long t = unchecked(((acc * normMul) >> normShift) + normAdd);

            // Inside [low, high) the table is exact: index 0 below A, 1 + (T − A) inside, the last entry from B up.
            Unsafe.Add(ref d0, i) = t >= low && t < high
                ? Unsafe.Add(ref table, (nint)(Math.Min(Math.Max(t, below), end) - below))
                : Activate(t);
        }
    }

    /// <summary>The activation table as bytes (built on first use; null for a table whose starts decrease).</summary>
    internal ActivationLookup? Lookup
    {
        get
        {
            if (_lookup is null && _monotone)
            {
                _lookup = ActivationLookup.Build(this, _threshold[1], _threshold[Segments - 1], _start[Segments - 1], _mul[0], _mul[Segments - 1], _lookupEntries);
            }

            return _lookup;
        }
    }

    /// <summary>The activation of one batch-normed value T (exposed for the equivalence tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Activate(long t)
    {
        int j = _monotone ? Bisect(t) : Scan(t);
        long v = unchecked((t - _start[j]) * _mul[j]);
        long r = _halfEven ? HalfEven(v, _roundShift[j]) : Carry(v, _roundShift[j]);
        int kind = _roundKind[j];
        r = kind == 1 ? r : kind == 0 ? v : 0;
        long y = unchecked(r + _bias[j]);
        return (byte)Math.Clamp(y, 0, 255);
    }

    private static int ClampShift(int s) => s >= 63 ? 63 : s & 63;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Bisect(long t)
    {
        // Last index in 1..15 whose threshold ≤ t (the condition holds on a prefix), else 0.
        ref long th = ref _threshold[0];
        int j = 0;
        j += Unsafe.Add(ref th, j + 8) <= t ? 8 : 0;
        j += Unsafe.Add(ref th, j + 4) <= t ? 4 : 0;
        j += Unsafe.Add(ref th, j + 2) <= t ? 2 : 0;
        j += Unsafe.Add(ref th, j + 1) <= t ? 1 : 0;
        return j;
    }

    private int Scan(long t)
    {
        int j = 0;
        for (int i = 1; i < Segments; i++)
        {
            j = _threshold[i] <= t ? i : j;
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Carry(long v, int shiftMinusOne)
    {
        long h = v >> shiftMinusOne;
        return (h >> 1) + ((h & 1) * ((h >> 63) | 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long HalfEven(long v, int s)
    {
        long q = v >> s;
        long f = unchecked(v - (q << s));
        long half = 1L << (s - 1);
        bool up = f > half || (f == half && (q & 1) != 0);
        return q + (up ? 1 : 0);
    }
}
