namespace Emc.Kmodel;

/// <summary>One bit field of the twelve KPU register words (spec §5.2).</summary>
public sealed record KpuRegisterField(string Name, int Word, int Shift, int Width, bool IsSigned = false)
{
    public ulong Mask => (Width == 64 ? ulong.MaxValue : ((1UL << Width) - 1)) << Shift;

    public long MinValue => IsSigned ? -(1L << (Width - 1)) : 0;

    public long MaxValue => IsSigned ? (1L << (Width - 1)) - 1 : (long)((1UL << Width) - 1);

    public long Get(ulong word)
    {
        ulong raw = (word & Mask) >> Shift;
        if (IsSigned && (raw & (1UL << (Width - 1))) != 0)
        {
            return (long)(raw | ~((1UL << Width) - 1));
        }

        return (long)raw;
    }

    public ulong Set(ulong word, long value)
    {
        if (value < MinValue || value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(value),
                value,
                $"{Name} holds {(IsSigned ? "signed " : string.Empty)}{Width} bits: {MinValue}..{MaxValue}");
        }

        return (word & ~Mask) | (((ulong)value << Shift) & Mask);
    }
}
