namespace Emc.Compiler.Quantization;

/// <summary>
/// QUANTIZED_ADD integers (spec §4.1) for <c>real = (q + B)/S</c> tensors. Unlike nncase's cross-wise
/// E(s_b, 32, 32) / E(s_a, 32, 32) (§7.7), both inputs are brought to one fixed-point grid with
/// <see cref="InputFractionBits"/> fraction bits relative to the coarser input step, added with shift 0 (exact
/// integer sum), and rescaled once: <c>q_o = carry_shift(V·out_mul, out_shift) + out_off</c>. The SDK's carry shift
/// rounds negative values wrongly (one odd intermediate in two comes out 2 LSB low, spec §6.4), so V is kept ≥ 0: the
/// input offsets are raised by whole codes (a_off, b_off ≥ 0 for an add; a large enough a_off for a subtraction) and
/// out_off takes the difference back, chosen so that what is left is a constant below 1/64 LSB (searched). The only
/// rounding that matters is then the final one (≤ ½ output step); the multipliers' relative errors are ≤ 2^−17.
/// </summary>
internal readonly record struct QuantizedAddParameters(int AOffset, int AMul, int BOffset, int BMul, int OutOffset, int OutMul, int OutShift)
{
    public const int InputFractionBits = 16;

    /// <summary>The parameters of a + b, or of a − b with <paramref name="subtract"/> (BMul then negative).</summary>
    public static QuantizedAddParameters Derive(QuantParam a, QuantParam b, QuantParam output, bool subtract = false)
    {
        double stepA = 1 / a.S, stepB = 1 / b.S, coarse = Math.Max(stepA, stepB);
        int mulA = (int)Math.Round(Math.ScaleB(stepA / coarse, InputFractionBits), MidpointRounding.ToEven);
        int mulB = (int)Math.Round(Math.ScaleB(stepB / coarse, InputFractionBits), MidpointRounding.ToEven) * (subtract ? -1 : 1);

        // |V| < (2·255 + 512)·2^16 < 2^27 and |out_mul| < 2^31: V·out_mul stays inside int64.
        var outFactor = FixedPoint.Split(Math.ScaleB(coarse * output.S, -InputFractionBits), 32, 62);
        double f = outFactor.Mul * Math.ScaleB(1, -outFactor.Shift);
        int baseA = (int)Math.Round(a.B), baseB = (int)Math.Round(b.B);

        // Offsets a_off = B_a + k_a, b_off = B_b + k_b with V ≥ 0 for every pair of codes; their extra (k_a·mul_a +
        // k_b·mul_b)·f output steps go to out_off, whole, and the fraction left should be as small as the search allows.
        int lowA = subtract ? (int)Math.Ceiling(255.0 * -mulB / mulA) : 0;
        var best = (A: Math.Max(lowA, 0), B: 0, Left: double.MaxValue);
        for (int offA = lowA; offA < lowA + 512 && best.Left > 1.0 / 64; offA++)
        {
            for (int offB = 0; offB < 256; offB++)
            {
                if (((long)offA * mulA) + ((255L + offB) * Math.Min(mulB, 0)) < 0)
                {
                    continue; // a − b: the largest b could still make V negative
                }

                double extra = (((offA - (double)baseA) * mulA) + ((offB - (double)baseB) * mulB)) * f;
                double left = Math.Abs(extra - Math.Round(extra));
                if (left < best.Left)
                {
                    best = (offA, offB, left);
                }
            }
        }

        double shift = (((best.A - (double)baseA) * mulA) + ((best.B - (double)baseB) * mulB)) * f;
        int outOffset = (int)Math.Round(-output.B) - (int)Math.Round(shift);
        return new QuantizedAddParameters(best.A, mulA, best.B, mulB, outOffset, (int)outFactor.Mul, outFactor.Shift);
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
