namespace Emc.Kmodel.Simulation;

/// <summary>
/// A decoded 16-segment activation table (spec §5.5) evaluated per §6.3: pick the highest segment whose start
/// satisfies the rounding mode's condition, then <c>clamp(R((T − x_start)·y_mul, shift) + bias, 0, 255)</c>.
/// </summary>
internal sealed class KpuActivation
{
    public const int SegmentCount = 16;

    private readonly long[] _start;
    private readonly long[] _mul;
    private readonly int[] _shift;
    private readonly long[] _bias;
    private readonly bool _halfEven;

    public KpuActivation(ReadOnlySpan<long> start, ReadOnlySpan<int> mul, ReadOnlySpan<int> shift, ReadOnlySpan<byte> bias, ActivationRounding rounding)
    {
        _start = start.ToArray();
        _mul = new long[SegmentCount];
        _shift = shift.ToArray();
        _bias = new long[SegmentCount];
        for (int i = 0; i < SegmentCount; i++)
        {
            _mul[i] = mul[i];
            _bias[i] = bias[i];
        }

        _halfEven = rounding == ActivationRounding.HalfEven;
        _monotone = true;
        for (int i = 1; i < SegmentCount; i++)
        {
            _monotone &= _start[i - 1] <= _start[i];
        }
    }

    private readonly bool _monotone;

    /// <summary>The selected segment: the highest index whose start satisfies the condition (0 if none does).</summary>
    private int Select(long t)
    {
        if (_monotone)
        {
            // Non-decreasing starts: the condition holds on a prefix, so the last index of it is found by bisection.
            int lo = 0, hi = SegmentCount - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >> 1;
                bool holds = _halfEven ? _start[mid] < t : _start[mid] <= t;
                if (holds)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return lo;
        }

        int j = SegmentCount - 1;
        while (j > 0 && !(_halfEven ? _start[j] < t : _start[j] <= t))
        {
            j--;
        }

        return j;
    }

    public byte Apply(long t)
    {
        // Segment 0 normally starts at −2^35 so that one always applies; when none does (a malformed
        // table) segment 0 is used, which is what a priority encoder defaulting to 0 gives.
        int j = Select(t);
        long v = unchecked((t - _start[j]) * _mul[j]);
        long r = _halfEven ? KpuArithmetic.ShiftHalfEven(v, _shift[j]) : KpuArithmetic.CarryShift(v, _shift[j]);
        return KpuArithmetic.SaturateToByte(r + _bias[j]);
    }
}
