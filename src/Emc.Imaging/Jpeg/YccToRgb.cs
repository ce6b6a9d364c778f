namespace Emc.Imaging.Jpeg;

/// <summary>
/// JFIF YCbCr → RGB with libjpeg's 16-bit fixed-point tables (jdcolor.c method):
/// R = Y + 1.402·Cr', G = Y − 0.34414·Cb' − 0.71414·Cr', B = Y + 1.772·Cb' (Cb' = Cb − 128), each rounded as
/// libjpeg rounds it, then clamped to 0..255.
/// </summary>
internal static class YccToRgb
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    private static readonly int[] s_crR = new int[256];
    private static readonly int[] s_cbB = new int[256];
    private static readonly int[] s_crG = new int[256];
    private static readonly int[] s_cbG = new int[256];

#pragma warning disable CA1810 // the four tables are filled in one loop
    static YccToRgb()
#pragma warning restore CA1810
    {
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            s_crR[i] = ((Fix(1.40200) * x) + OneHalf) >> ScaleBits;
            s_cbB[i] = ((Fix(1.77200) * x) + OneHalf) >> ScaleBits;
            s_crG[i] = -Fix(0.71414) * x;
            s_cbG[i] = (-Fix(0.34414) * x) + OneHalf;
        }
    }

    public static void Convert(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb)
    {
        for (int i = 0; i < y.Length; i++)
        {
            int luma = y[i];
            int blue = cb[i], red = cr[i];
            rgb[i * 3] = Clamp(luma + s_crR[red]);
            rgb[(i * 3) + 1] = Clamp(luma + ((s_cbG[blue] + s_crG[red]) >> ScaleBits));
            rgb[(i * 3) + 2] = Clamp(luma + s_cbB[blue]);
        }
    }

    private static int Fix(double x) => (int)((x * (1 << ScaleBits)) + 0.5);

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
