using Emc.Compiler.K210.Kpu;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.K210;

/// <summary>
/// A naive transcription of spec §6 (conv → BN → activation, SDK-era rounding) used as the test oracle for the
/// derived integer parameters. Deliberately slow and literal.
/// </summary>
internal static class KpuReference
{
    public static int Activate(KpuActivationTable table, long t)
    {
        int j = 0;
        for (int i = 0; i < table.Segments.Length; i++)
        {
            if (table.Segments[i].XStart <= t)
            {
                j = i;
            }
        }

        var s = table.Segments[j];
        long v = (t - s.XStart) * s.YMul;
        long r = s.Shift == 0 ? v : (v + (1L << (s.Shift - 1))) >> s.Shift;
        return (int)Math.Clamp(r + s.Bias, 0, 255);
    }

    /// <summary>Output q of channel o at (y, x) of a stride-1 SAME conv over uint8 planes x[c][h][w].</summary>
    public static int Conv(KpuConvWeights conv, KpuConvQuantization p, byte[] input, int h, int w, int o, int y, int x)
    {
        int k = conv.KernelSize;
        int pad = k == 3 ? 1 : 0;
        int per = conv.WeightsPerOutput;
        long prod = 0, sx = 0, sw = 0;
        int channels = conv.Depthwise ? 1 : conv.InChannels;
        for (int ci = 0; ci < channels; ci++)
        {
            int c = conv.Depthwise ? o : ci;
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int iy = y + ky - pad, ix = x + kx - pad;
                    int xv = iy < 0 || iy >= h || ix < 0 || ix >= w ? p.PadValue : input[(((c * h) + iy) * w) + ix];
                    int wi = (o * per) + (((ci * k) + ky) * k) + kx;
                    int wv = p.WeightBits == 8 ? p.WeightBytes[wi] : p.WeightBytes[2 * wi] | (p.WeightBytes[(2 * wi) + 1] << 8);
                    prod += (long)wv * xv;
                    sx += xv;
                    sw += wv;
                }
            }
        }

        long acc = prod + ((p.ArgX * sx) >> p.ShrX) + ((p.ArgW * sw) >> p.ShrW) + (p.ArgAdd * channels);
        var bn = p.BatchNorm[o];
        long t = ((acc * bn.NormMul) >> bn.NormShift) + bn.NormAdd;
        return Activate(p.Activation, t);
    }
}
