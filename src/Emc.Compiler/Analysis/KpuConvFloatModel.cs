using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.Analysis;

/// <summary>
/// What a KPU conv layer should output for a given (dequantized) input, computed in double from the float
/// weights: stride-1 "same" conv reading the real value of pad_value outside the map, bias, output
/// quantization (its clamp is the activation), then the pool type. Separates a layer's own arithmetic error
/// from the error it inherits.
/// </summary>
internal static class KpuConvFloatModel
{
    public static byte[] Run(KpuConvLayer conv, float[] input, bool quantizedWeights = false)
    {
        var w = conv.Weights;
        var inT = conv.Inputs[0];
        var p = conv.Parameters!;
        int h = inT.Height, wd = inT.Width, k = w.KernelSize, pad = k / 2;
        var full = new byte[w.OutChannels * h * wd];
        int per = w.WeightsPerOutput;

        // Quantized weights of a conv reading per-channel scales are folded (w·s/s_c); undo that to get real weights.
        double Unfold(int c) => quantizedWeights && inT.ChannelQuant is { } q ? q[c].S / inT.Quant!.Value.S : 1;

        for (int o = 0; o < w.OutChannels; o++)
        {
            ReadOnlySpan<float> taps = quantizedWeights ? Dequantized(p, o, per) : w.Channel(o);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < wd; x++)
                {
                    double acc = quantizedWeights && p.EffectiveBias is { } eb ? eb[o] : w.Bias[o];
                    int channels = w.Depthwise ? 1 : w.InChannels;
                    for (int ci = 0; ci < channels; ci++)
                    {
                        int c = w.Depthwise ? o : ci;
                        for (int ky = 0; ky < k; ky++)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                int yy = y + ky - pad, xx = x + kx - pad;
                                double v = yy < 0 || yy >= h || xx < 0 || xx >= wd ? inT.QuantOf(c).Dequantize(p.PadValue) : input[(((c * h) + yy) * wd) + xx];
                                acc += taps[(((ci * k) + ky) * k) + kx] * v * Unfold(c);
                            }
                        }
                    }

                    full[(((o * h) + y) * wd) + x] = (byte)conv.Output.QuantOf(o).Quantize(conv.Activation.Apply(acc, o, w.OutChannels));
                }
            }
        }

        return Pool(conv, full, w.OutChannels, h, wd);
    }

    /// <summary>The effective real weights of output channel o: (q_w + b_w)/(s_w·σ_o).</summary>
    private static float[] Dequantized(K210.Kpu.KpuConvQuantization p, int o, int per)
    {
        var result = new float[per];
        for (int i = 0; i < per; i++)
        {
            int index = (o * per) + i;
            int q = p.WeightBits == 8 ? p.WeightBytes[index] : p.WeightBytes[2 * index] | (p.WeightBytes[(2 * index) + 1] << 8);
            result[i] = (float)((q + p.WeightQuant.B) / (p.WeightQuant.S * p.ChannelScales[o]));
        }

        return result;
    }

    private static byte[] Pool(KpuConvLayer conv, byte[] full, int c, int h, int w)
    {
        int f = conv.Pool switch { KpuPoolType.Bypass => 1, KpuPoolType.Max4S4 or KpuPoolType.Mean4S4 => 4, _ => 2 };
        if (f == 1)
        {
            return full;
        }

        int oh = h / f, ow = w / f;
        var result = new byte[c * oh * ow];
        for (int ch = 0; ch < c; ch++)
        {
            for (int y = 0; y < oh; y++)
            {
                for (int x = 0; x < ow; x++)
                {
                    int max = 0, sum = 0;
                    for (int dy = 0; dy < f; dy++)
                    {
                        for (int dx = 0; dx < f; dx++)
                        {
                            int v = full[(((ch * h) + (y * f) + dy) * w) + (x * f) + dx];
                            max = Math.Max(max, v);
                            sum += v;
                        }
                    }

                    // Row shift + right-top picks (2i+1, 2j+1) of the unshifted map; left-top picks (2i, 2j).
                    int pick = conv.Pool switch
                    {
                        KpuPoolType.LeftTop2S2 => full[(((ch * h) + (2 * y)) * w) + (2 * x)],
                        KpuPoolType.RightTop2S2 => full[(((ch * h) + (2 * y) + (conv.InputRowShift ? 1 : 0)) * w) + (2 * x) + 1],
                        KpuPoolType.Max2S2 or KpuPoolType.Max4S4 => max,
                        _ => (sum + (f * f / 2)) / (f * f),
                    };
                    result[(((ch * oh) + y) * ow) + x] = (byte)pick;
                }
            }
        }

        return result;
    }
}
