namespace Emc.Compiler.Quantization;

/// <summary>
/// Per-tensor affine quantization in nncase v0.1's form (spec §7.1): <c>real ≈ (q + B) / S</c>, i.e.
/// <c>q = clamp(RoundEven(x·S − B))</c>. <see cref="B"/> is an integer for every tensor the compiler
/// calibrates; only the graph input may carry a fractional offset (e.g. range [−1, 1] → B = −127.5), which
/// represents the user's preprocessing exactly.
/// </summary>
internal readonly record struct QuantParam(double S, double B)
{
    /// <summary>What QUANTIZE/DEQUANTIZE store as <c>scale</c>: real = q·scale + bias.</summary>
    public float StoredScale => (float)(1.0 / S);

    /// <summary>What QUANTIZE/DEQUANTIZE store as <c>bias</c>.</summary>
    public float StoredBias => (float)(B / S);

    /// <summary>The zero point (the q that represents real 0): −B.</summary>
    public double ZeroPoint => -B;

    /// <summary>Smallest and largest real values the 8-bit codes represent.</summary>
    public (double Min, double Max) Range(int bits = 8) => (B / S, (((1 << bits) - 1) + B) / S);

    public double Dequantize(double q) => (q + B) / S;

    public int Quantize(double x, int bits = 8)
    {
        double q = Math.Round((x * S) - B, MidpointRounding.ToEven);
        double max = (1 << bits) - 1;
        return (int)Math.Clamp(q, 0, max);
    }

    /// <summary>
    /// Range → (S, B) with an integer B (spec §7.1). The range is first widened to contain 0 (so real zero,
    /// e.g. conv padding and ReLU's floor, is exactly representable) and to a minimum width.
    /// </summary>
    public static QuantParam FromRange(double min, double max, int bits = 8)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max - min < 1e-6)
        {
            max = min + 1e-6;
        }

        double s = ((1 << bits) - 1) / (max - min);
        double b = Math.Round(min * s, MidpointRounding.ToEven);
        return new QuantParam(s, b);
    }

    /// <summary>The exact map of a uint8 input holding <c>low + q·(high − low)/255</c> (B may be fractional).</summary>
    public static QuantParam FromInputRange(double low, double high) =>
        new(255.0 / (high - low), low * 255.0 / (high - low));
}
