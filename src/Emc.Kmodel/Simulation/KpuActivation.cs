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
    }

    public byte Apply(long t)
    {
        // Segment 0 normally starts at −2^35 so that one always applies; when none does (a malformed
        // table) segment 0 is used, which is what a priority encoder defaulting to 0 gives.
        int j = SegmentCount - 1;
        if (_halfEven)
        {
            while (j > 0 && !(_start[j] < t))
            {
                j--;
            }
        }
        else
        {
            while (j > 0 && !(_start[j] <= t))
            {
                j--;
            }
        }

        long v = unchecked((t - _start[j]) * _mul[j]);
        long r = _halfEven ? KpuArithmetic.ShiftHalfEven(v, _shift[j]) : KpuArithmetic.CarryShift(v, _shift[j]);
        return KpuArithmetic.SaturateToByte(r + _bias[j]);
    }
}
