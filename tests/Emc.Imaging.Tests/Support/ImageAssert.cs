namespace Emc.Imaging.Tests.Support;

internal static class ImageAssert
{
    public static RgbImage Decodes(byte[] data, string what)
    {
        var result = ImageDecoder.Decode(data, what);
        Assert.IsTrue(result.Succeeded, $"{what}: {string.Join("; ", result.Diagnostics)}");
        return result.Value!;
    }

    public static void Fails(byte[] data, string code, string what)
    {
        var result = ImageDecoder.Decode(data, what);
        Assert.IsFalse(result.Succeeded, what + " decoded but should not have");
        Assert.AreEqual(code, result.Diagnostics[0].Code, $"{what}: {string.Join("; ", result.Diagnostics)}");
    }

    /// <summary>Max and mean absolute difference between two equally sized byte buffers.</summary>
    public static (int Max, double Mean) Difference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Assert.AreEqual(a.Length, b.Length, "buffer lengths differ");
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = Math.Abs(a[i] - b[i]);
            sum += d;
            max = Math.Max(max, d);
        }

        return (max, a.Length == 0 ? 0 : (double)sum / a.Length);
    }
}
