using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;

namespace Emc.Compiler.Quantization;

/// <summary>
/// Which KPU convs get error-feedback weight rounding (<see cref="ErrorFeedbackRounding"/>), the input patch statistics
/// calibration gathers for them, and the per-channel factors that drive it. A conv takes part when it reads an IR value
/// channel for channel (no stacked shifted copies, <see cref="KpuConvLayer.InputChannelSources"/>) — a part of a split
/// conv its channel range of the whole conv's input (<see cref="KpuConvLayer.PartOf"/>) — and its patch vector holds at
/// most <see cref="PatchMoments.MaxSize"/> numbers; every other conv keeps rounding to nearest.
/// </summary>
internal static class WeightRoundingFactors
{
    /// <summary>The (value, patch shape) pairs to gather moments of, with the value's channel count.</summary>
    public static Dictionary<(Value, PatchShape), PatchMoments> Requests(K210Model model)
    {
        var result = new Dictionary<(Value, PatchShape), PatchMoments>();
        foreach (var conv in model.Layers.OfType<KpuConvLayer>())
        {
            if (Source(conv) is { } key && !result.ContainsKey(key) && PatchMoments.Create(key.Item2, key.Item1.Shape![1]) is { } moments)
            {
                result[key] = moments;
            }
        }

        return result;
    }

    /// <summary>
    /// Per output channel of <paramref name="weights"/> (the conv's weights as quantized, after any per-channel input
    /// scales were folded in: column c scaled by s/s_c, so its inputs are x_c·s_c/s) the factor of the dampened patch
    /// moments in those coordinates, or null when the conv does not take part. The moments are taken about the mean (the
    /// covariance): bias correction removes the mean error Σ(ŵ − w)·E[x] afterwards, so what is left to minimise is
    /// (ŵ − w)ᵀ Cov(x) (ŵ − w). On MobileNetV1-0.25 with per-channel ranges the covariance gave the logits 23.44 dB,
    /// E[x xᵀ] 22.94 dB (nearest rounding: 21.83 dB).
    /// </summary>
    public static IReadOnlyList<double[]?>? For(KpuConvLayer conv, KpuConvWeights weights, IReadOnlyList<QuantParam>? inputChannels, QuantParam input,
        IReadOnlyDictionary<(Value, PatchShape), PatchMoments>? moments)
    {
        if (moments is null || Source(conv) is not { } key || !moments.TryGetValue(key, out var m))
        {
            return null;
        }

        int first = conv.InputOrigin.FirstChannel;
        int k2 = weights.KernelSize * weights.KernelSize;
        if (m.Size != weights.WeightsPerOutput && (weights.Depthwise || m.Size != key.Item1.Shape![1] * k2))
        {
            return null;
        }

        if (weights.Depthwise)
        {
            // One channel per output: a per-channel input scale multiplies its matrix by a constant, which the feedback
            // ratios U_ij/U_ii do not see.
            var perChannel = new double[]?[weights.OutChannels];
            for (int o = 0; o < weights.OutChannels; o++)
            {
                perChannel[o] = m.Matrix(first + o) is { } h ? ErrorFeedbackRounding.Factor(h, m.Size) : null;
            }

            return perChannel;
        }

        if (m.Matrix(0) is not { } whole)
        {
            return null;
        }

        // A part reading channels first.. of the value (a chunk of a grouped conv): their block of the moments.
        var matrix = m.Size == weights.WeightsPerOutput ? whole : Block(whole, m.Size, first * k2, weights.WeightsPerOutput);
        int n = weights.WeightsPerOutput, oc = weights.OutChannels;
        var factors = new double[]?[oc];
        if (inputChannels is not null)
        {
            var d = new double[n];
            for (int i = 0; i < n; i++)
            {
                d[i] = inputChannels[i / k2].S / input.S;
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    matrix[(i * n) + j] *= d[i] * d[j];
                }
            }
        }

        var u = ErrorFeedbackRounding.Factor(matrix, n);
        for (int o = 0; o < oc; o++)
        {
            factors[o] = u;
        }

        return u is null ? null : factors;
    }

    private static double[] Block(double[] matrix, int size, int start, int count)
    {
        var block = new double[count * count];
        for (int i = 0; i < count; i++)
        {
            Array.Copy(matrix, ((start + i) * size) + start, block, i * count, count);
        }

        return block;
    }

    private static (Value, PatchShape)? Source(KpuConvLayer conv)
    {
        var w = conv.Weights;
        var (source, first) = conv.InputOrigin;
        if (source is not { Shape: { Rank: 4 } shape } value || conv.InputChannelSources is not null
            || first + (w.Depthwise ? w.OutChannels : w.InChannels) > shape[1])
        {
            return null;
        }

        return (value, new PatchShape(w.KernelSize, w.Depthwise));
    }
}
