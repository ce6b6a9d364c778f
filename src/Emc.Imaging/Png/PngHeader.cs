namespace Emc.Imaging.Png;

/// <summary>The IHDR fields that shape decoding.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    public const int Gray = 0;
    public const int Rgb = 2;
    public const int Palette = 3;
    public const int GrayAlpha = 4;
    public const int Rgba = 6;

    public int Channels => ColorType switch
    {
        Gray or Palette => 1,
        GrayAlpha => 2,
        Rgb => 3,
        _ => 4,
    };

    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>Filter unit: bytes per complete pixel, at least 1.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    public long RowBytes(int width) => ((((long)width * BitsPerPixel) + 7) / 8);

    public static bool IsValidCombination(int colorType, int bitDepth) => colorType switch
    {
        Gray => bitDepth is 1 or 2 or 4 or 8 or 16,
        Palette => bitDepth is 1 or 2 or 4 or 8,
        Rgb or GrayAlpha or Rgba => bitDepth is 8 or 16,
        _ => false,
    };
}
