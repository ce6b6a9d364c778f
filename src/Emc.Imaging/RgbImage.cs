namespace Emc.Imaging;

/// <summary>
/// A decoded image as 8-bit RGB: <see cref="Pixels"/> holds <c>Width × Height × 3</c> bytes, interleaved R, G, B,
/// row-major, top row first. Grayscale and palette images are expanded to RGB; alpha is dropped (not blended).
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * 3)
        {
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {pixels.LongLength}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Interleaved RGB, row-major, top row first; length <c>Width × Height × 3</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The three bytes (R, G, B) of the pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public ReadOnlySpan<byte> PixelAt(int x, int y) => Pixels.AsSpan(((y * Width) + x) * 3, 3);
}
