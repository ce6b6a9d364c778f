namespace Emc.Kmodel;

/// <summary>
/// One activation segment (spec §5.5): applies from <see cref="XStart"/> (signed 36-bit) upwards,
/// <c>out = clamp(R((T − XStart)·YMul, Shift) + Bias, 0, 255)</c>. YMul is 16-bit (read as unsigned),
/// Shift 8-bit.
/// </summary>
public readonly record struct KpuActivationSegment(long XStart, int YMul, int Shift, byte Bias)
{
    private static readonly KpuRegisterField s_shift = new("shift_number", 0, 0, 8);
    private static readonly KpuRegisterField s_mul = new("y_mul", 0, 8, 16);
    private static readonly KpuRegisterField s_start = new("x_start", 0, 24, 36, IsSigned: true);

    /// <summary>Bits 60–63 of a segment word, which no field covers.</summary>
    public const ulong ReservedMask = 0xF000_0000_0000_0000UL;

    /// <summary>Lowest 36-bit start: segment 0 must start here so that a segment always applies.</summary>
    public const long MinXStart = -(1L << 35);

    public static KpuActivationSegment Decode(ulong word, byte bias) =>
        new(s_start.Get(word), (int)s_mul.Get(word), (int)s_shift.Get(word), bias);

    /// <summary>Packs the segment word (not the bias); YMul accepts −32768..65535 (stored as 16 bits).</summary>
    public ulong Encode()
    {
        if (YMul < short.MinValue || YMul > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(YMul), YMul, "y_mul holds 16 bits");
        }

        ulong word = s_shift.Set(0, Shift);
        word = s_mul.Set(word, YMul & 0xFFFF);
        return s_start.Set(word, XStart);
    }
}

/// <summary>The 144-byte activation table (spec §5.5): 16 segments then their 16 bias bytes.</summary>
public sealed record KpuActivationTable(KpuActivationSegment[] Segments)
{
    public const int SegmentCount = 16;
    public const int ByteSize = 144;

    public bool Equals(KpuActivationTable? other) =>
        other is not null && Segments.AsSpan().SequenceEqual(other.Segments);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var segment in Segments)
        {
            hash.Add(segment);
        }

        return hash.ToHashCode();
    }
}
