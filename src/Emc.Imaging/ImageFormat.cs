namespace Emc.Imaging;

public enum ImageFormat
{
    Unknown,
    Bmp,
    Png,
    Jpeg,
}
