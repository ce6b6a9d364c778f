using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Tests.K210;

[TestClass]
public sealed class KpuConvQuantizerTests
{
    [TestMethod]
    [DataRow(3, 4, 6, false, 8, false)]
    [DataRow(1, 8, 5, false, 8, false)]
    [DataRow(3, 6, 6, true, 8, false)]
    [DataRow(3, 3, 4, false, 16, false)]
    [DataRow(3, 3, 4, false, 8, true)]
    public void IntegerConvMatchesFloatConvOfEffectiveWeights(int k, int ic, int oc, bool depthwise, int bits, bool fractionalInput)
    {
        var random = new Random((k * 100) + ic + bits);
        if (depthwise)
        {
            oc = ic;
        }

        var conv = RandomConv(random, k, ic, oc, depthwise);
        var input = fractionalInput ? QuantParam.FromInputRange(-1, 1) : QuantParam.FromRange(-1.3, 2.1);
        var output = QuantParam.FromRange(-4, 6);
        var p = KpuConvQuantizer.Derive(conv, input, output, KpuActivationFunction.Linear, bits, out string? error);
        Assert.IsNotNull(p, error);

        // Spec §7.4 relations (also what real nncase files satisfy).
        Assert.AreEqual(Math.Round(p.WeightQuant.B * input.B * k * k, MidpointRounding.ToEven), p.ArgAdd);
        Assert.AreEqual((byte)Math.Round(-input.B, MidpointRounding.ToEven), p.PadValue);
        Assert.AreEqual(p.WeightQuant.B, p.ArgX / Math.Pow(2, p.ShrX));
        Assert.AreEqual(input.B, p.ArgW / Math.Pow(2, p.ShrW));
        foreach (var bn in p.BatchNorm)
        {
            _ = bn.Encode(); // fits the 24/32/4-bit fields
            Assert.IsTrue(bn.NormShift is >= 0 and <= 15);
        }

        const int h = 5, w = 6;
        byte[] x = new byte[ic * h * w];
        random.NextBytes(x);
        int per = conv.WeightsPerOutput;
        int maxDiff = 0;
        for (int o = 0; o < oc; o++)
        {
            // Effective (dequantized) weights: what the integer pipeline multiplies by.
            var eff = new double[per];
            for (int i = 0; i < per; i++)
            {
                int q = bits == 8 ? p.WeightBytes[(o * per) + i] : p.WeightBytes[2 * ((o * per) + i)] | (p.WeightBytes[(2 * ((o * per) + i)) + 1] << 8);
                eff[i] = (q + p.WeightQuant.B) / (p.WeightQuant.S * p.ChannelScales[o]);
            }

            for (int y = 0; y < h; y++)
            {
                for (int xx = 0; xx < w; xx++)
                {
                    double real = conv.Bias[o] + FloatConv(conv, eff, x, input, h, w, o, y, xx);
                    int expected = output.Quantize(real);
                    int got = KpuReference.Conv(conv, p, x, h, w, o, y, xx);
                    maxDiff = Math.Max(maxDiff, Math.Abs(got - expected));
                }
            }
        }

        // Only the BN multiplier approximation and floor shifts remain: at most one output step.
        Assert.IsTrue(maxDiff <= 1, $"max |Δq| = {maxDiff}");
    }

    [TestMethod]
    public void WeightQuantizationErrorIsBoundedByHalfAStep()
    {
        var random = new Random(11);
        var conv = RandomConv(random, 3, 5, 7, false);
        var p = KpuConvQuantizer.Derive(conv, QuantParam.FromRange(0, 1), QuantParam.FromRange(-3, 3), KpuActivationFunction.Linear, 8, out string? error);
        Assert.IsNotNull(p, error);
        int per = conv.WeightsPerOutput;
        for (int o = 0; o < conv.OutChannels; o++)
        {
            double step = 1 / (p.WeightQuant.S * p.ChannelScales[o]);
            for (int i = 0; i < per; i++)
            {
                double eff = (p.WeightBytes[(o * per) + i] + p.WeightQuant.B) * step;
                Assert.AreEqual(conv.Weights[(o * per) + i], eff, (step / 2) + 1e-9);
            }
        }
    }

    [TestMethod]
    public void PerChannelScalingStretchesSmallChannels()
    {
        // Channel 1 is 100× smaller than channel 0. Both are non-negative, so the best shared zero point is 0 and
        // channel 0 spans the full 0..255. Channel 1 is stretched until norm_mul would drop below 14 significant
        // bits at shift 15 (c_1 = s_o·2^10/(k_1·s_x) = 0.5 → k_1 = 2048 levels per unit, σ_1 = 2048/255).
        var conv = new KpuConvWeights(1, 2, 1, false, [1.0f, 0.01f], [0, 0]);
        var p = KpuConvQuantizer.Derive(conv, QuantParam.FromRange(0, 1), QuantParam.FromRange(0, 1), KpuActivationFunction.Linear, 8, out _);
        Assert.IsNotNull(p);
        Assert.AreEqual(0, p.WeightQuant.B);
        Assert.AreEqual(255, p.WeightBytes[0]);
        Assert.AreEqual(2048.0 / 255, p.ChannelScales[1] / p.ChannelScales[0], 1e-9);
        Assert.AreEqual(20, p.WeightBytes[1]); // 0.01 · 2048 = 20.48
        Assert.IsGreaterThanOrEqualTo(1 << 14, p.BatchNorm[1].NormMul);
    }

    [TestMethod]
    public void InputRangeWithoutZeroIsRejected()
    {
        var conv = new KpuConvWeights(1, 1, 3, false, Enumerable.Repeat(0.5f, 9).ToArray(), [0]);
        var p = KpuConvQuantizer.Derive(conv, new QuantParam(255, 10), QuantParam.FromRange(0, 1), KpuActivationFunction.Linear, 8, out string? error);
        Assert.IsNull(p);
        StringAssert.Contains(error, "pad_value");
    }

    [TestMethod]
    public void LeakyConvMatchesFloat()
    {
        var random = new Random(5);
        var conv = RandomConv(random, 3, 3, 4, false);
        var input = QuantParam.FromRange(-1, 1);
        var output = QuantParam.FromRange(-0.6, 6);
        var p = KpuConvQuantizer.Derive(conv, input, output, KpuActivationFunction.Leaky(0.1f), 8, out string? error);
        Assert.IsNotNull(p, error);
        const int h = 4, w = 4;
        byte[] x = new byte[3 * h * w];
        random.NextBytes(x);
        int per = conv.WeightsPerOutput;
        for (int o = 0; o < 4; o++)
        {
            var eff = new double[per];
            for (int i = 0; i < per; i++)
            {
                eff[i] = (p.WeightBytes[(o * per) + i] + p.WeightQuant.B) / (p.WeightQuant.S * p.ChannelScales[o]);
            }

            for (int y = 0; y < h; y++)
            {
                for (int xx = 0; xx < w; xx++)
                {
                    double real = conv.Bias[o] + FloatConv(conv, eff, x, input, h, w, o, y, xx);
                    real = real < 0 ? real * 0.1 : real;
                    int expected = output.Quantize(real);
                    int got = KpuReference.Conv(conv, p, x, h, w, o, y, xx);
                    Assert.IsTrue(Math.Abs(got - expected) <= 1, $"o{o} ({y},{xx}): {got} vs {expected}");
                }
            }
        }
    }

    internal static KpuConvWeights RandomConv(Random random, int k, int ic, int oc, bool depthwise)
    {
        int per = (depthwise ? 1 : ic) * k * k;
        var weights = new float[oc * per];
        for (int o = 0; o < oc; o++)
        {
            float magnitude = (float)Math.Pow(10, random.NextDouble() * 2 - 1.5); // channels differ in scale
            for (int i = 0; i < per; i++)
            {
                weights[(o * per) + i] = (float)((random.NextDouble() * 2) - 0.8) * magnitude;
            }
        }

        var bias = Enumerable.Range(0, oc).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return new KpuConvWeights(ic, oc, k, depthwise, weights, bias);
    }

    private static double FloatConv(KpuConvWeights conv, double[] eff, byte[] x, QuantParam input, int h, int w, int o, int y, int xx)
    {
        int k = conv.KernelSize, pad = k == 3 ? 1 : 0;
        int channels = conv.Depthwise ? 1 : conv.InChannels;
        double sum = 0;
        for (int ci = 0; ci < channels; ci++)
        {
            int c = conv.Depthwise ? o : ci;
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int iy = y + ky - pad, ix = xx + kx - pad;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    {
                        continue; // zero padding
                    }

                    sum += eff[(((ci * k) + ky) * k) + kx] * input.Dequantize(x[(((c * h) + iy) * w) + ix]);
                }
            }
        }

        return sum;
    }
}
