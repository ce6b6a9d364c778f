using Emc.Diagnostics;

namespace Emc.Imaging;

/// <summary>
/// Turns decoded images into model inputs: resize (default <see cref="ResizeMethod.NearestCentre"/>) then planar
/// CHW layout, as uint8 or as float32 through a per-channel <see cref="ChannelAffine"/>. Grayscale (C=1) uses
/// ITU-R BT.601 luma in integers, as libjpeg and PIL "L" do: <c>Y = (299·R + 587·G + 114·B + 500) / 1000</c>.
/// Invalid sizes or maps give EMC0709.
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>The image resized to width × height (the same instance when the size already matches).</summary>
    public static Result<RgbImage> Resize(RgbImage image, int width, int height, ResizeMethod method = ResizeMethod.NearestCentre)
    {
        ArgumentNullException.ThrowIfNull(image);
        string? error = CheckSize(width, height);
        return error is not null ? Error<RgbImage>(error) : Ok(ImageResizer.Resize(image, width, height, method));
    }

    /// <summary>Planar uint8 [3, height, width] in the given channel order.</summary>
    public static Result<byte[]> ToChwBytes(RgbImage image, int width, int height, ChannelOrder order = ChannelOrder.Rgb, ResizeMethod method = ResizeMethod.NearestCentre)
    {
        ArgumentNullException.ThrowIfNull(image);
        string? error = CheckSize(width, height);
        if (error is not null)
        {
            return Error<byte[]>(error);
        }

        RgbImage resized = ImageResizer.Resize(image, width, height, method);
        int plane = width * height;
        var chw = new byte[3 * plane];
        ReadOnlySpan<byte> src = resized.Pixels;
        for (int c = 0; c < 3; c++)
        {
            int from = order == ChannelOrder.Rgb ? c : 2 - c;
            Span<byte> dst = chw.AsSpan(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                dst[i] = src[(i * 3) + from];
            }
        }

        return Ok(chw);
    }

    /// <summary>Planar float32 [3, height, width]: each sample mapped by <paramref name="affine"/> (channels in output order).</summary>
    public static Result<float[]> ToChwFloat(RgbImage image, int width, int height, ChannelAffine affine, ChannelOrder order = ChannelOrder.Rgb, ResizeMethod method = ResizeMethod.NearestCentre)
    {
        ArgumentNullException.ThrowIfNull(affine);
        string? error = affine.Validate(3);
        if (error is not null)
        {
            return Error<float[]>(error);
        }

        Result<byte[]> bytes = ToChwBytes(image, width, height, order, method);
        return bytes.Value is null ? new Result<float[]>(null, bytes.Diagnostics) : Ok(Map(bytes.Value, 3, affine));
    }

    /// <summary>Planar uint8 [1, height, width] of BT.601 luma (see the class remarks for the exact formula).</summary>
    public static Result<byte[]> ToGrayBytes(RgbImage image, int width, int height, ResizeMethod method = ResizeMethod.NearestCentre)
    {
        ArgumentNullException.ThrowIfNull(image);
        string? error = CheckSize(width, height);
        if (error is not null)
        {
            return Error<byte[]>(error);
        }

        RgbImage resized = ImageResizer.Resize(image, width, height, method);
        var gray = new byte[width * height];
        ReadOnlySpan<byte> src = resized.Pixels;
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = Luma(src[i * 3], src[(i * 3) + 1], src[(i * 3) + 2]);
        }

        return Ok(gray);
    }

    /// <summary>Planar float32 [1, height, width] of luma mapped by <paramref name="affine"/>.</summary>
    public static Result<float[]> ToGrayFloat(RgbImage image, int width, int height, ChannelAffine affine, ResizeMethod method = ResizeMethod.NearestCentre)
    {
        ArgumentNullException.ThrowIfNull(affine);
        string? error = affine.Validate(1);
        if (error is not null)
        {
            return Error<float[]>(error);
        }

        Result<byte[]> bytes = ToGrayBytes(image, width, height, method);
        return bytes.Value is null ? new Result<float[]>(null, bytes.Diagnostics) : Ok(Map(bytes.Value, 1, affine));
    }

    /// <summary>ITU-R BT.601 luma, rounded: (299·R + 587·G + 114·B + 500) / 1000.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);

    private static float[] Map(byte[] planes, int channels, ChannelAffine affine)
    {
        int plane = planes.Length / channels;
        var result = new float[planes.Length];
        for (int c = 0; c < channels; c++)
        {
            float[] table = affine.Table(c);
            ReadOnlySpan<byte> src = planes.AsSpan(c * plane, plane);
            Span<float> dst = result.AsSpan(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                dst[i] = table[src[i]];
            }
        }

        return result;
    }

    private static string? CheckSize(int width, int height) =>
        width <= 0 || height <= 0 || (long)width * height > ImageLimits.MaxPixels
            ? $"target size {width}x{height} is not a positive size within {ImageLimits.MaxPixels} pixels"
            : null;

    private static Result<T> Ok<T>(T value)
        where T : class => new(value, []);

    private static Result<T> Error<T>(string message)
        where T : class => new(null, [ImagingDiagnostics.InvalidPreprocessing.Create(message)]);
}
