namespace Emc.Kmodel;

/// <summary>How a C×H×W uint8 feature map sits in KPU RAM (spec §3.2).</summary>
public readonly record struct KpuTensorLayout(int Groups, int RowLength, int RowPitch)
{
    public const int UnitBytes = 64;
    public const int TotalUnits = 32768;

    public static KpuTensorLayout ForWidth(long width) => width switch
    {
        <= 16 => new(4, 1, 16),
        <= 32 => new(2, 1, 32),
        _ => new(1, (int)((width + 63) / 64), 64),
    };

    /// <summary>Units occupied by a C×H×W map: row_len·H·ceil(C/g).</summary>
    public static long SizeInUnits(long width, long height, long channels)
    {
        var layout = ForWidth(width);
        return layout.RowLength * height * ((channels + layout.Groups - 1) / layout.Groups);
    }
}
