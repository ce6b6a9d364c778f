namespace Emc.Kmodel.Simulation;

/// <summary>
/// Where a uint8 C×H×W feature map sits in KPU RAM (spec §3.2): blocks of <see cref="Group"/> channels,
/// <see cref="ChannelSwitchUnits"/> 64-byte units per block, <see cref="RowSwitchUnits"/> units per row, channels of
/// a block <c>64 / Group</c> bytes apart. The conv engine reads and writes through the register values, so a file
/// with unusual registers is simulated as the KPU would address it.
/// </summary>
internal readonly record struct KpuMapAddressing(
    int BaseUnit, int Channels, int Height, int Width, int ChannelSwitchUnits, int RowSwitchUnits, int Group)
{
    public const int UnitBytes = 64;
    public const int RamBytes = 2 * 1024 * 1024;

    /// <summary>The canonical layout for a width (what K210_UPLOAD, ADD_PADDING and the SDK input copy use).</summary>
    public static KpuMapAddressing ForWidth(int baseUnit, int channels, int height, int width)
    {
        (int group, int rowLen) = width <= 16 ? (4, 1) : width <= 32 ? (2, 1) : (1, (width + 63) / 64);
        return new KpuMapAddressing(baseUnit, channels, height, width, rowLen * height, rowLen, group);
    }

    public int RowPitch => UnitBytes / Group;

    public bool HasValidGroup => Group is 1 or 2 or 4;

    public long Offset(int c, int y, int x)
        => ((long)BaseUnit * UnitBytes) + ((long)(c / Group) * ChannelSwitchUnits * UnitBytes)
           + ((c % Group) * RowPitch) + ((long)y * RowSwitchUnits * UnitBytes) + x;

    /// <summary>One past the highest byte address touched (exact: the maximum over every channel's last row).</summary>
    public long EndOffset()
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0)
        {
            return (long)BaseUnit * UnitBytes;
        }

        long end = 0;
        int first = Math.Max(0, Channels - Group);
        for (int c = first; c < Channels; c++)
        {
            end = Math.Max(end, Offset(c, Height - 1, Width - 1) + 1);
        }

        return end;
    }

    /// <summary>Whether every byte is inside the 2 MiB RAM. Rows wider than the channel pitch overlap the next
    /// channel of the block; that is what the addressing gives, so it is simulated, not rejected.</summary>
    public bool FitsInRam => HasValidGroup && BaseUnit >= 0 && EndOffset() <= RamBytes;

    /// <summary>Reads the map into planar CHW order.</summary>
    public void Gather(ReadOnlySpan<byte> ram, Span<byte> planar)
    {
        int plane = Height * Width;
        for (int c = 0; c < Channels; c++)
        {
            for (int y = 0; y < Height; y++)
            {
                ram.Slice((int)Offset(c, y, 0), Width).CopyTo(planar.Slice((c * plane) + (y * Width), Width));
            }
        }
    }

    /// <summary>Writes planar CHW data into the map.</summary>
    public void Scatter(ReadOnlySpan<byte> planar, Span<byte> ram)
    {
        int plane = Height * Width;
        for (int c = 0; c < Channels; c++)
        {
            for (int y = 0; y < Height; y++)
            {
                planar.Slice((c * plane) + (y * Width), Width).CopyTo(ram.Slice((int)Offset(c, y, 0), Width));
            }
        }
    }
}
