namespace Emc.Kmodel;

/// <summary>Main memory (byte offsets) or KPU RAM (64-byte units).</summary>
public enum MemorySpace
{
    Main,
    Kpu,
}

/// <summary>
/// A region a layer reads or writes. Main-memory ranges are in bytes, KPU ranges in 64-byte units.
/// <see cref="RoundedTo8"/> marks accesses that really touch the length rounded up to 8 bytes
/// (QUANTIZED_ADD, a conv's main-memory output DMA).
/// </summary>
public readonly record struct MemoryRange(string Name, MemorySpace Space, bool IsOutput, long Start, long Length, bool RoundedTo8 = false)
{
    public long End => Start + Length;

    /// <summary>End of the allocation the range needs: main-memory lengths rounded up to 8.</summary>
    public long AllocatedEnd => Space == MemorySpace.Main ? Start + SaturatingMath.RoundUp(Length, 8) : End;
}
