namespace Emc.Imaging;

public enum ResizeMethod
{
    /// <summary>Nearest sample at pixel centres: <c>src = floor((dst + 0.5) · srcSize / dstSize)</c> per axis.</summary>
    NearestCentre,

    /// <summary>Bilinear with half-pixel centres (<c>src = (dst + 0.5) · srcSize / dstSize − 0.5</c>, edges clamped), rounded to 8 bits.</summary>
    Bilinear,
}
