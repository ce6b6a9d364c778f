using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Tests.K210;

[TestClass]
public sealed class ErrorFeedbackRoundingTests
{
    private const int InChannels = 8;
    private const int OutChannels = 4;

    /// <summary>
    /// A 1×1 conv over strongly correlated inputs (x_c = z + small noise): nearest rounding leaves each output with the
    /// sum of its weights' errors times z, error feedback makes the errors cancel. Both are judged by the output error
    /// of their dequantized weights and biases against the float conv on held-out inputs.
    /// </summary>
    [TestMethod]
    public void FeedbackLowersTheOutputErrorOnHeldOutInputs()
    {
        var random = new Random(7);
        var weights = new float[OutChannels * InChannels];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(0.3 * Normal(random));
        }

        var conv = new KpuConvWeights(InChannels, OutChannels, 1, false, weights, [0.1f, -0.2f, 0.3f, 0f]);
        var calibration = Inputs(random, 64, 6, 6);
        var moments = PatchMoments.Create(new PatchShape(1, false), InChannels)!;
        moments.Observe(calibration, [64, InChannels, 6, 6]);
        var means = ChannelMeans(calibration, 64 * 36);
        var u = ErrorFeedbackRounding.Factor(moments.Matrix(0)!, InChannels);
        Assert.IsNotNull(u, "the dampened covariance is positive definite");

        var input = QuantParam.FromRange(-4, 5);
        var output = QuantParam.FromRange(-6, 6);
        var nearest = KpuConvQuantizer.Derive(conv, input, output, KpuActivationFunction.Linear, 8, out string? error, means);
        Assert.IsNotNull(nearest, error);
        var feedback = KpuConvQuantizer.Derive(conv, input, output, KpuActivationFunction.Linear, 8, out error, means, feedback: Enumerable.Repeat(u, OutChannels).ToList());
        Assert.IsNotNull(feedback, error);
        CollectionAssert.AreNotEqual(nearest.WeightBytes, feedback.WeightBytes, "error feedback chose other codes than nearest rounding");

        var heldOut = Inputs(new Random(99), 64, 6, 6);
        double nearestError = OutputError(conv, nearest, heldOut);
        double feedbackError = OutputError(conv, feedback, heldOut);
        Console.WriteLine($"output MSE on held-out inputs: nearest {nearestError:E3}, error feedback {feedbackError:E3}");
        Assert.IsTrue(feedbackError < 0.5 * nearestError, $"error feedback {feedbackError:E3} vs nearest {nearestError:E3}");
    }

    /// <summary>Feedback can push a later weight past its channel's range; its code must still be clamped to 0..qMax.</summary>
    [TestMethod]
    [DataRow(8)]
    [DataRow(16)]
    public void CodesStayWithinTheWeightRange(int bits)
    {
        int n = 6, qMax = (1 << bits) - 1;
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                h[(i * n) + j] = i == j ? 1 : 0.95;
            }
        }

        var u = ErrorFeedbackRounding.Factor(h, n)!;
        double scale = qMax / 2.0; // weights 0..2 ↔ codes 0..qMax

        // The first two weights round down by 0.49 of a step; with positively correlated inputs the feedback raises the
        // later ones, which already sit at the top code. Mirrored (2 − w): rounded up, the later ones pushed below 0.
        float[] high = [(float)((qMax - 0.51) / scale), (float)((qMax - 0.51) / scale), 2f, 2f, 2f, 2f];
        float[] low = [.. high.Select(w => 2 - w)];
        var up = ErrorFeedbackRounding.Round(high, scale, 0, qMax, u);
        var down = ErrorFeedbackRounding.Round(low, scale, 0, qMax, u);
        Assert.IsTrue(up.Concat(down).All(c => c >= 0 && c <= qMax), $"{string.Join(",", up)} / {string.Join(",", down)}");
        Assert.AreEqual(qMax - 1, up[0]);
        Assert.AreEqual(1, down[0]);
        CollectionAssert.AreEqual(new[] { qMax, qMax, qMax, qMax }, up[2..]);
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 0 }, down[2..]);
    }

    /// <summary>Mean squared difference between the quantized conv (dequantized weights and corrected bias) and the float conv.</summary>
    private static double OutputError(KpuConvWeights conv, KpuConvQuantization p, float[] x)
    {
        int pixels = x.Length / InChannels;
        double sum = 0;
        for (int o = 0; o < OutChannels; o++)
        {
            for (int px = 0; px < pixels; px++)
            {
                int image = px / 36, at = px % 36;
                double exact = conv.Bias[o], quantized = p.EffectiveBias![o];
                for (int c = 0; c < InChannels; c++)
                {
                    double v = x[(((image * InChannels) + c) * 36) + at];
                    int q = p.WeightBytes[(o * InChannels) + c];
                    exact += conv.Weights[(o * InChannels) + c] * v;
                    quantized += (q + p.WeightQuant.B) / (p.WeightQuant.S * p.ChannelScales[o]) * v;
                }

                sum += (quantized - exact) * (quantized - exact);
            }
        }

        return sum / (OutChannels * pixels);
    }

    /// <summary>NCHW inputs whose channels share one strong component: x_c = 0.5 + z + 0.05·e_c.</summary>
    private static float[] Inputs(Random random, int images, int height, int width)
    {
        int plane = height * width;
        var x = new float[images * InChannels * plane];
        for (int n = 0; n < images; n++)
        {
            for (int p = 0; p < plane; p++)
            {
                double z = Normal(random);
                for (int c = 0; c < InChannels; c++)
                {
                    x[(((n * InChannels) + c) * plane) + p] = (float)(0.5 + z + (0.05 * Normal(random)));
                }
            }
        }

        return x;
    }

    private static double[] ChannelMeans(float[] x, int pixels)
    {
        var means = new double[InChannels];
        for (int i = 0; i < x.Length; i++)
        {
            means[i / 36 % InChannels] += x[i];
        }

        return [.. means.Select(m => m / pixels)];
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
