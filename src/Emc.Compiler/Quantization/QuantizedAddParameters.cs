namespace Emc.Compiler.Quantization;

/// <summary>
/// QUANTIZED_ADD integers (spec §4.1) for <c>real = (q + B)/S</c> tensors. Unlike nncase's cross-wise
/// E(s_b, 32, 32) / E(s_a, 32, 32) (§7.7), both inputs are brought to one fixed-point grid with
/// <see cref="InputFractionBits"/> fraction bits relative to the coarser input step, added with shift 0 (exact
/// integer sum), and rescaled once: <c>q_o = carry_shift(V·out_mul, out_shift) − B_o</c>. The only rounding
/// that matters is the final one (≤ ½ output step); the multipliers' relative errors are ≤ 2^−17.
/// </summary>
internal readonly record struct QuantizedAddParameters(int AOffset, int AMul, int BOffset, int BMul, int OutOffset, int OutMul, int OutShift)
{
    public const int InputFractionBits = 16;

    public static QuantizedAddParameters Derive(QuantParam a, QuantParam b, QuantParam output)
    {
        double stepA = 1 / a.S, stepB = 1 / b.S, coarse = Math.Max(stepA, stepB);
        int mulA = (int)Math.Round(Math.ScaleB(stepA / coarse, InputFractionBits), MidpointRounding.ToEven);
        int mulB = (int)Math.Round(Math.ScaleB(stepB / coarse, InputFractionBits), MidpointRounding.ToEven);

        // |V| < 2·(255 + 256)·2^16 < 2^27 and |out_mul| < 2^31: V·out_mul stays inside int64.
        var outFactor = FixedPoint.Split(Math.ScaleB(coarse * output.S, -InputFractionBits), 32, 62);
        return new QuantizedAddParameters(
            (int)Math.Round(a.B), mulA, (int)Math.Round(b.B), mulB, (int)Math.Round(-output.B), (int)outFactor.Mul, outFactor.Shift);
    }

    /// <summary>The REQUANTIZE table from <paramref name="input"/> to <paramref name="output"/> (spec §7.7, round half even).</summary>
    public static byte[] RequantizeTable(QuantParam input, QuantParam output)
    {
        var table = new byte[256];
        for (int q = 0; q < 256; q++)
        {
            table[q] = (byte)output.Quantize(input.Dequantize(q));
        }

        return table;
    }
}
