namespace Emc.Kmodel;

/// <summary>
/// One batch-norm word (spec §5.4): <c>T = ((ACC·NormMul) &gt;&gt; NormShift) + NormAdd</c>.
/// NormMul is signed 24-bit, NormAdd signed 32-bit, NormShift 4-bit; bits 60–63 are zero.
/// </summary>
public readonly record struct KpuBatchNorm(int NormMul, int NormAdd, int NormShift)
{
    public const int ByteSize = 8;

    private static readonly KpuRegisterField s_mul = new("norm_mul", 0, 0, 24, IsSigned: true);
    private static readonly KpuRegisterField s_add = new("norm_add", 0, 24, 32, IsSigned: true);
    private static readonly KpuRegisterField s_shift = new("norm_shift", 0, 56, 4);

    /// <summary>Bits 60–63, which no field covers.</summary>
    public const ulong ReservedMask = 0xF000_0000_0000_0000UL;

    public static KpuBatchNorm Decode(ulong word) =>
        new((int)s_mul.Get(word), (int)s_add.Get(word), (int)s_shift.Get(word));

    /// <summary>Packs the word; throws <see cref="ArgumentOutOfRangeException"/> when a field does not fit.</summary>
    public ulong Encode()
    {
        ulong word = s_mul.Set(0, NormMul);
        word = s_add.Set(word, NormAdd);
        return s_shift.Set(word, NormShift);
    }
}
