using Emc.Diagnostics;

namespace Emc.Imaging;

/// <summary>Allocation guards applied before any pixel buffer is allocated.</summary>
internal static class ImageLimits
{
    /// <summary>64 MPixel: 192 MiB of RGB, far above any calibration or simulator input.</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    public const int MaxSide = 65535;

    public static void Check(long width, long height, string format)
    {
        if (width <= 0 || height <= 0)
        {
            throw Fail.Corrupt($"{format} image has invalid dimensions {width}x{height}");
        }

        if (width > MaxSide || height > MaxSide || width * height > MaxPixels)
        {
            throw new DiagnosticException(ImagingDiagnostics.TooLarge.Create(
                $"{format} image is {width}x{height}; the limit is {MaxPixels / (1024 * 1024)} MPixel and {MaxSide} per side"));
        }
    }
}
