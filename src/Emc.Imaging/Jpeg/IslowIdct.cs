namespace Emc.Imaging.Jpeg;

/// <summary>
/// The accurate integer inverse DCT of the IJG/libjpeg-turbo "ISLOW" method (Loeffler–Ligtenberg–Moschytz with
/// 13-bit constants, 2 extra bits between passes), reimplemented so its output is bit-identical to libjpeg's
/// default decode, including its range-limit wraparound for out-of-range values.
/// </summary>
internal static class IslowIdct
{
    private const int ConstBits = 13;
    private const int Pass1Bits = 2;

    private const long Fix0_298631336 = 2446;
    private const long Fix0_390180644 = 3196;
    private const long Fix0_541196100 = 4433;
    private const long Fix0_765366865 = 6270;
    private const long Fix0_899976223 = 7373;
    private const long Fix1_175875602 = 9633;
    private const long Fix1_501321110 = 12299;
    private const long Fix1_847759065 = 15137;
    private const long Fix1_961570560 = 16069;
    private const long Fix2_053119869 = 16819;
    private const long Fix2_562915447 = 20995;
    private const long Fix3_072711026 = 25172;

    /// <summary>Dequantises and transforms one block, writing 8×8 samples at <paramref name="output"/> with the given stride.</summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<ushort> quant, Span<byte> output, int stride)
    {
        Span<int> ws = stackalloc int[64];
        for (int col = 0; col < 8; col++)
        {
            if (coefficients[8 + col] == 0 && coefficients[16 + col] == 0 && coefficients[24 + col] == 0 &&
                coefficients[32 + col] == 0 && coefficients[40 + col] == 0 && coefficients[48 + col] == 0 &&
                coefficients[56 + col] == 0)
            {
                int dc = coefficients[col] * quant[col] * (1 << Pass1Bits);
                for (int row = 0; row < 8; row++)
                {
                    ws[(row * 8) + col] = dc;
                }

                continue;
            }

            Butterfly(
                coefficients[col] * (long)quant[col], coefficients[8 + col] * (long)quant[8 + col],
                coefficients[16 + col] * (long)quant[16 + col], coefficients[24 + col] * (long)quant[24 + col],
                coefficients[32 + col] * (long)quant[32 + col], coefficients[40 + col] * (long)quant[40 + col],
                coefficients[48 + col] * (long)quant[48 + col], coefficients[56 + col] * (long)quant[56 + col],
                out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7);
            const int shift = ConstBits - Pass1Bits;
            ws[col] = Descale(o0, shift);
            ws[8 + col] = Descale(o1, shift);
            ws[16 + col] = Descale(o2, shift);
            ws[24 + col] = Descale(o3, shift);
            ws[32 + col] = Descale(o4, shift);
            ws[40 + col] = Descale(o5, shift);
            ws[48 + col] = Descale(o6, shift);
            ws[56 + col] = Descale(o7, shift);
        }

        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<int> w = ws.Slice(row * 8, 8);
            Span<byte> o = output.Slice(row * stride, 8);
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                byte v = RangeLimit(Descale(w[0], Pass1Bits + 3));
                o.Fill(v);
                continue;
            }

            Butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
                out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7);
            const int shift = ConstBits + Pass1Bits + 3;
            o[0] = RangeLimit(Descale(o0, shift));
            o[1] = RangeLimit(Descale(o1, shift));
            o[2] = RangeLimit(Descale(o2, shift));
            o[3] = RangeLimit(Descale(o3, shift));
            o[4] = RangeLimit(Descale(o4, shift));
            o[5] = RangeLimit(Descale(o5, shift));
            o[6] = RangeLimit(Descale(o6, shift));
            o[7] = RangeLimit(Descale(o7, shift));
        }
    }

    /// <summary>One 8-point ISLOW pass; outputs are still scaled by 2^13.</summary>
    private static void Butterfly(
        long in0, long in1, long in2, long in3, long in4, long in5, long in6, long in7,
        out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7)
    {
        // Even part.
        long z1 = (in2 + in6) * Fix0_541196100;
        long tmp2 = z1 - (in6 * Fix1_847759065);
        long tmp3 = z1 + (in2 * Fix0_765366865);
        long tmp0 = (in0 + in4) << ConstBits;
        long tmp1 = (in0 - in4) << ConstBits;
        long tmp10 = tmp0 + tmp3;
        long tmp13 = tmp0 - tmp3;
        long tmp11 = tmp1 + tmp2;
        long tmp12 = tmp1 - tmp2;

        // Odd part.
        long t0 = in7, t1 = in5, t2 = in3, t3 = in1;
        long y1 = t0 + t3, y2 = t1 + t2, y3 = t0 + t2, y4 = t1 + t3;
        long y5 = (y3 + y4) * Fix1_175875602;
        t0 *= Fix0_298631336;
        t1 *= Fix2_053119869;
        t2 *= Fix3_072711026;
        t3 *= Fix1_501321110;
        y1 *= -Fix0_899976223;
        y2 *= -Fix2_562915447;
        y3 = (y3 * -Fix1_961570560) + y5;
        y4 = (y4 * -Fix0_390180644) + y5;
        t0 += y1 + y3;
        t1 += y2 + y4;
        t2 += y2 + y3;
        t3 += y1 + y4;

        o0 = tmp10 + t3;
        o7 = tmp10 - t3;
        o1 = tmp11 + t2;
        o6 = tmp11 - t2;
        o2 = tmp12 + t1;
        o5 = tmp12 - t1;
        o3 = tmp13 + t0;
        o4 = tmp13 - t0;
    }

    private static int Descale(long x, int n) => (int)((x + (1L << (n - 1))) >> n);

    /// <summary>libjpeg's range_limit[x &amp; 1023] with +128 level shift: clamps within ±512, wraps beyond.</summary>
    private static byte RangeLimit(int x)
    {
        int wrapped = ((x + 512) & 1023) - 512;
        return (byte)Math.Clamp(wrapped + 128, 0, 255);
    }
}
