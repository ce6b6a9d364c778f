using Emc.Diagnostics;
using Emc.Imaging.Bmp;
using Emc.Imaging.Jpeg;
using Emc.Imaging.Png;

namespace Emc.Imaging;

/// <summary>
/// Decodes BMP, PNG and JPEG images (format chosen by magic bytes, not by file name) to <see cref="RgbImage"/>.
/// Never throws on bad input: every problem is an EMC07xx diagnostic in the returned <see cref="Result{T}"/>.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes an in-memory image; <paramref name="path"/> only labels the diagnostics.</summary>
    public static Result<RgbImage> Decode(ReadOnlySpan<byte> data, string? path = null)
    {
        try
        {
            RgbImage image = DetectFormat(data) switch
            {
                ImageFormat.Bmp => BmpDecoder.Decode(data),
                ImageFormat.Png => PngDecoder.Decode(data),
                ImageFormat.Jpeg => JpegDecoder.Decode(data),
                _ => throw Fail.With(ImagingDiagnostics.UnknownFormat,
                    "not a BMP, PNG or JPEG image (unrecognised leading bytes)"),
            };
            return new Result<RgbImage>(image, []);
        }
        catch (DiagnosticException e)
        {
            return new Result<RgbImage>(null, [.. e.Diagnostics.Select(d => d.WithFile(path))]);
        }
    }

    /// <summary>Largest image file read (256 MiB).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Reads and decodes an image file.</summary>
    public static Result<RgbImage> Load(string path)
    {
        // Regular files only (a FIFO named a.png would block), size checked before allocating.
        byte[]? data = Emc.IO.SafeFile.TryReadAll(path, MaxFileBytes, out string? error);
        if (data is null)
        {
            return new Result<RgbImage>(null, [ImagingDiagnostics.ReadFailed.Create($"cannot read image: the file {error}", path)]);
        }

        return Decode(data, path);
    }

    /// <summary>The container format named by the leading bytes, or <see cref="ImageFormat.Unknown"/>.</summary>
    public static ImageFormat DetectFormat(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M')
        {
            return ImageFormat.Bmp;
        }

        if (data.StartsWith(PngDecoder.Signature))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        return ImageFormat.Unknown;
    }
}
