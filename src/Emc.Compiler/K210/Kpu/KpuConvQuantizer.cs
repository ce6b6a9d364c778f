using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Kpu;

/// <summary>
/// Derives a KPU convolution's integer parameters from float weights and the input/output quantization
/// (spec §7.3–§7.6, nncase v0.1's derivation, with the refinement noted inline). All arithmetic in double,
/// RoundEven, deterministic. Every result is checked against its field width (spec §5.2/§5.4/§5.5).
/// </summary>
internal static class KpuConvQuantizer
{
    private const int ArgBits = 24;
    private const int ArgMaxShift = 15;
    private const int NormMulBits = 22;
    private const int NormMaxShift = 15;

    /// <summary>
    /// Computes the parameters, or returns null with <paramref name="error"/> naming the quantity that does
    /// not fit its register field. With <paramref name="inputChannelMeans"/> (calibration means of the input
    /// channels) the bias is corrected for the mean error the weight rounding causes: β_o −= Σ (ŵ − w)·E[x_c].
    /// With <paramref name="outputChannels"/> (per-channel scales around <paramref name="output"/>'s zero point) each
    /// channel's batch-norm word requantizes to its own scale. With <paramref name="feedback"/> (per output channel, the
    /// factor <see cref="ErrorFeedbackRounding.Factor"/> of its input patches' moments, or null) that channel's weights
    /// are rounded with error feedback instead of to nearest.
    /// </summary>
    public static KpuConvQuantization? Derive(
        KpuConvWeights conv, QuantParam input, QuantParam output, KpuActivationFunction activation, int weightBits, out string? error,
        IReadOnlyList<double>? inputChannelMeans = null, IReadOnlyList<QuantParam>? outputChannels = null, IReadOnlyList<double[]?>? feedback = null)
    {
        error = null;
        int oc = conv.OutChannels;
        int per = conv.WeightsPerOutput;
        int k2 = conv.KernelSize * conv.KernelSize;

        // Per-channel weight scales with one shared zero point (the KPU has one arg_x per layer but a free
        // per-channel norm_mul). nncase (§7.3) takes the zero point from the global weight range and stretches each
        // channel until one side touches it; here the zero point is chosen to minimise the summed weight
        // quantization noise Σ_o n/k_o² (k_o = levels per real unit of channel o), and every channel then uses the
        // largest k_o that keeps it inside 0..2^B−1. On MobileNetV1-0.25 this alone lifts the logits SQNR markedly
        // (depthwise layers have strongly asymmetric channels).
        // Cap k_o so norm_mul keeps ≥ 14 significant bits at the maximum shift (c_o ≥ 2^-1): beyond that, finer
        // weights of a near-zero channel are lost in norm_mul's rounding anyway.
        double levelCap = output.S * (1 << KpuActivationTables.FractionBits) / (input.S * 0.5);
        var (wq, scales) = ChooseWeightScales(conv, weightBits, levelCap);
        int qMax = (1 << weightBits) - 1;
        int bytesPer = weightBits == 8 ? 1 : 2;
        var weightBytes = new byte[oc * per * bytesPer];
        for (int o = 0; o < oc; o++)
        {
            var channel = conv.Channel(o);
            var codes = feedback?[o] is { } u ? ErrorFeedbackRounding.Round(channel, scales[o] * wq.S, wq.B, qMax, u) : null;
            for (int i = 0; i < per; i++)
            {
                double q = codes?[i] ?? Math.Clamp(Rounding.Even((channel[i] * scales[o] * wq.S) - wq.B), 0, qMax);
                int index = (o * per) + i;
                if (bytesPer == 1)
                {
                    weightBytes[index] = (byte)q;
                }
                else
                {
                    weightBytes[2 * index] = (byte)((int)q & 0xFF);
                    weightBytes[(2 * index) + 1] = (byte)((int)q >> 8);
                }
            }
        }

        var bias = CorrectedBias(conv, weightBytes, wq, scales, weightBits, inputChannelMeans);

        // §7.3 step 4 / §7.4: offsets of weights (arg_x) and inputs (arg_w), constant term and padding.
        if (!FixedPoint.TrySplit(wq.B, ArgBits, ArgMaxShift, out var argX))
        {
            error = $"weight offset b_w = {wq.B} does not fit arg_x (signed 24-bit, shift ≤ 15)";
            return null;
        }

        if (!FixedPoint.TrySplit(input.B, ArgBits, ArgMaxShift, out var argW) || argW.Value != input.B)
        {
            error = $"input offset b_x = {input.B} is not exactly representable in arg_w (signed 24-bit, shift ≤ 15)";
            return null;
        }

        // A 1×1 kernel never reads padding, so its input range need not contain 0 (pad_value is then unused).
        double zeroPad = -input.B;
        if ((zeroPad < 0 || zeroPad > 255) && conv.KernelSize != 1)
        {
            error = $"the input range does not contain 0 (pad_value −b_x = {zeroPad} is outside 0..255)";
            return null;
        }

        byte padValue = (byte)Rounding.Even(Math.Clamp(zeroPad, 0, 255));
        double argAddExact = wq.B * input.B * k2;
        long argAdd = Rounding.EvenToLong(argAddExact);
        if (argAdd < -(1L << 39) || argAdd >= (1L << 39))
        {
            error = $"arg_add = {argAdd} does not fit 40 bits";
            return null;
        }

        int groupTaps = conv.Depthwise ? 1 : conv.InChannels;

        // Refinement: rounding residue of arg_add (non-zero only for a fractional input offset, i.e. the
        // graph input) is a per-channel constant — folded exactly into norm_add below.
        double accResidue = (argAddExact - argAdd) * groupTaps;

        // §7.5: batch-norm words.
        var bn = new KpuBatchNorm[oc];
        for (int o = 0; o < oc; o++)
        {
            var outQ = outputChannels?[o] ?? output; // per-channel scales share output's zero point
            double accScale = wq.S * scales[o] * input.S; // ACC = accScale · Σ w·x
            double c = outQ.S * (1 << KpuActivationTables.FractionBits) / accScale;
            if (!FixedPoint.TrySplit(c, NormMulBits, NormMaxShift, out var mul))
            {
                error = $"output channel {o}: the requantization factor {c:G6} does not fit norm_mul/norm_shift (22-bit, shift ≤ 15); the output range is too narrow for the input and weight ranges";
                return null;
            }

            double add = ((bias[o] * outQ.S) - outQ.B) * (1 << KpuActivationTables.FractionBits);
            add += accResidue * mul.Value;
            long normAdd = Rounding.EvenToLong(add);
            if (activation.IsNegativePart(o, oc))
            {
                normAdd -= KpuActivationTables.HalfOffset;
            }

            if (normAdd < int.MinValue || normAdd > int.MaxValue)
            {
                error = $"output channel {o}: norm_add = {normAdd} does not fit 32 bits (bias {bias[o]} is far outside the output range)";
                return null;
            }

            bn[o] = new KpuBatchNorm((int)mul.Mul, (int)normAdd, mul.Shift);
        }

        KpuActivationTable table;
        if (activation.Kind == KpuActivationKind.Leaky)
        {
            double zp = -output.B;
            if (!KpuActivationTables.TryLeaky(activation.Alpha, (int)zp, out table) || zp != Math.Floor(zp))
            {
                error = $"LeakyRelu slope {activation.Alpha} with output zero point {zp} cannot be expressed by the activation table (needs 0 < α ≤ 1)";
                return null;
            }
        }
        else if (activation.Kind == KpuActivationKind.ReluAndNegativePart)
        {
            double zp = -output.B;
            if (zp != Math.Floor(zp) || !KpuActivationTables.TryReluAndNegativePart((int)zp, out table))
            {
                error = $"per-channel PRelu: output zero point {zp} is not an integer in 0..255 (the output range must contain 0)";
                return null;
            }
        }
        else
        {
            table = KpuActivationTables.Linear();
        }

        return new KpuConvQuantization(
            weightBytes, weightBits, bn, table, (int)argX.Mul, argX.Shift, (int)argW.Mul, argW.Shift, argAdd, padValue, wq, scales) { EffectiveBias = bias };
    }

    /// <summary>
    /// Bias correction (Nagel et al. 2019, "Data-Free Quantization"): the rounded weights ŵ shift each output's
    /// mean by Σ (ŵ − w)·E[x]; subtracting it from the bias removes that systematic error. On MobileNetV1-0.25
    /// the pointwise convs after ReLU6 (inputs with large positive means) benefit most.
    /// </summary>
    private static double[] CorrectedBias(KpuConvWeights conv, byte[] weightBytes, QuantParam wq, double[] scales, int weightBits, IReadOnlyList<double>? means)
    {
        var bias = conv.Bias.Select(b => (double)b).ToArray();
        if (means is null || means.Count != conv.InChannels)
        {
            return bias;
        }

        int per = conv.WeightsPerOutput, k2 = conv.KernelSize * conv.KernelSize;
        for (int o = 0; o < conv.OutChannels; o++)
        {
            var channel = conv.Channel(o);
            double shift = 0;
            for (int i = 0; i < per; i++)
            {
                int index = (o * per) + i;
                int q = weightBits == 8 ? weightBytes[index] : weightBytes[2 * index] | (weightBytes[(2 * index) + 1] << 8);
                double effective = (q + wq.B) / (wq.S * scales[o]);
                shift += (effective - channel[i]) * means[conv.Depthwise ? o : i / k2];
            }

            bias[o] -= shift;
        }

        return bias;
    }

    private static (QuantParam Weights, double[] ChannelScales) ChooseWeightScales(KpuConvWeights conv, int weightBits, double levelCap)
    {
        int oc = conv.OutChannels;
        int qMax = (1 << weightBits) - 1;
        var lo = new double[oc];
        var hi = new double[oc];
        for (int o = 0; o < oc; o++)
        {
            (lo[o], hi[o]) = MinMax(conv.Channel(o));
            lo[o] = Math.Min(lo[o], 0);
            hi[o] = Math.Max(hi[o], 0);
        }

        // Levels per real unit of channel o for zero point z (∞ for an all-zero channel).
        double Levels(int o, int z)
        {
            double k = double.PositiveInfinity;
            if (hi[o] > 0)
            {
                k = Math.Min(k, (qMax - z) / hi[o]);
            }

            if (lo[o] < 0)
            {
                k = Math.Min(k, z / -lo[o]);
            }

            return k;
        }

        int bestZ = 0;
        double bestCost = double.PositiveInfinity;
        int step = Math.Max(1, qMax / 255);
        for (int z = 0; z <= qMax; z += step)
        {
            double cost = 0;
            for (int o = 0; o < oc && cost < bestCost; o++)
            {
                double k = Levels(o, z);
                cost += k == 0 ? double.PositiveInfinity : 1 / (k * k);
            }

            if (cost < bestCost)
            {
                bestCost = cost;
                bestZ = z;
            }
        }

        var levels = new double[oc];
        double reference = double.PositiveInfinity;
        for (int o = 0; o < oc; o++)
        {
            levels[o] = Math.Min(Levels(o, bestZ), levelCap);
            if (double.IsFinite(levels[o]))
            {
                reference = Math.Min(reference, levels[o]);
            }
        }

        if (!double.IsFinite(reference) || reference <= 0)
        {
            reference = 1;
        }

        var scales = new double[oc];
        for (int o = 0; o < oc; o++)
        {
            scales[o] = double.IsFinite(levels[o]) && levels[o] > 0 ? levels[o] / reference : 1.0;
        }

        return (new QuantParam(reference, -bestZ), scales);
    }

    private static (double Min, double Max) MinMax(ReadOnlySpan<float> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return values.IsEmpty ? (0, 0) : (min, max);
    }
}
