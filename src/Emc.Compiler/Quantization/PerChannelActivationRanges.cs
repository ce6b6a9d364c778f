using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;

namespace Emc.Compiler.Quantization;

/// <summary>
/// Per-channel activation scales where the format lets them survive (issue 10): a KPU conv's output channels get scales
/// of their own through its batch-norm words, around one zero point shared by every channel — also when several convs
/// write their slices of one concat buffer in place. Every reader must take them: a KPU conv folds s/s_c into its
/// weights for input channel c (a shared zero point keeps arg_w and pad_value per layer), pick/max-pool/upload/nearest
/// resize copy bytes within a channel, and DEQUANTIZE becomes CHANNELWISE_DEQUANTIZE. Anything else (QUANTIZED_ADD,
/// REQUANTIZE tables, the CONCAT layer, views, flattens) keeps the tensor per-tensor.
/// </summary>
internal static class PerChannelActivationRanges
{
    /// <summary>A root tensor and every tensor sharing its quantization, with the index of its first channel in the root.</summary>
    public sealed record Family(K210Tensor Root, IReadOnlyDictionary<K210Tensor, int> FirstChannels);

    /// <summary>A channel's scale is at most this multiple of the tensor's: beyond it the reader's weights for that
    /// channel shrink past what its weight quantization resolves.</summary>
    public const double MaxScaleRatio = 64;

    /// <summary>
    /// Every tensor family whose members can all carry per-channel scales: a root (a tensor with its own calibrated range)
    /// written by KPU convs — one conv's whole output, or the slices of a concat buffer each conv writes in place — and
    /// the tensors that share its quantization (the convs' KPU outputs, picks, pools, uploads), each with the index of
    /// its first channel in the root. Every member's readers must take per-channel scales.
    /// </summary>
    public static IReadOnlyList<Family> Families(K210Model model)
    {
        var (producers, readers) = LayerLinks.Of(model);
        var members = new Dictionary<K210Tensor, List<K210Tensor>>();
        var views = new Dictionary<K210Tensor, List<K210Tensor>>();

        foreach (var t in producers.Keys.Concat(readers.Keys).Distinct())
        {
            if (t.AliasOf is { } of)
            {
                LayerLinks.Add(views, of, t);
            }

            if (Root(t) is { } root && root != t)
            {
                LayerLinks.Add(members, root, t);
            }
        }

        var outputs = model.Outputs.Select(o => o.Tensor).ToHashSet(); // a uint8 model output states one (scale, bias)
        var result = new List<Family>();
        foreach (var root in members.Keys.Concat(producers.Keys).Distinct())
        {
            if (root is not { QuantFrom: null, RangeSource: not null, AliasOf: null, Type: K210ElementType.UInt8, IsDeviceInput: false })
            {
                continue;
            }

            var family = members.GetValueOrDefault(root, []).Prepend(root).ToList();
            if (FirstChannels(root, family, producers, views) is { } firsts && !family.Any(outputs.Contains)
                && family.All(t => readers.GetValueOrDefault(t, []).All(r => Reads(r, t)))
                && family.Any(t => producers.GetValueOrDefault(t, []).Any(p => p is KpuConvLayer)))
            {
                result.Add(new Family(root, firsts));
            }
        }

        return result;
    }

    /// <summary>The first channel of each member in the root, or null unless every member is the root, a whole-size output
    /// of a KPU conv or channel copy, a conv's planar slice of a concat root, or the KPU output of such a conv.</summary>
    private static Dictionary<K210Tensor, int>? FirstChannels(K210Tensor root, List<K210Tensor> family,
        Dictionary<K210Tensor, List<K210Layer>> producers, Dictionary<K210Tensor, List<K210Tensor>> views)
    {
        var firsts = new Dictionary<K210Tensor, int>();
        long plane = (long)root.Height * root.Width;
        int covered = 0;
        foreach (var slice in views.GetValueOrDefault(root, []))
        {
            if (root.Memory != K210MemoryKind.Main || slice.Memory != K210MemoryKind.Main || slice.QuantFrom != root
                || (long)slice.Height * slice.Width != plane || slice.AliasOffset % plane != 0
                || producers.GetValueOrDefault(slice, []) is not [KpuConvLayer conv] || conv.MainOutput != slice
                || conv.Output.QuantFrom != root || conv.Output.Channels != slice.Channels)
            {
                return null;
            }

            firsts[slice] = firsts[conv.Output] = (int)(slice.AliasOffset / plane);
            covered += slice.Channels;
        }

        if (covered != 0 && (covered != root.Channels || producers.ContainsKey(root)))
        {
            return null;
        }

        foreach (var t in family.Where(t => !firsts.ContainsKey(t)))
        {
            if (t.AliasOf is not null || t.Channels != root.Channels
                || !producers.GetValueOrDefault(t, []).All(p => (p is KpuConvLayer c && c.MainOutput?.AliasOf is null) || IsChannelCopy(p)))
            {
                return null;
            }

            firsts[t] = 0;
        }

        return family.Any(t => t != root && views.ContainsKey(t)) ? null : firsts;
    }

    /// <summary>
    /// Channel scales around the per-tensor quantization <paramref name="tensor"/> (its zero point kept): each channel's
    /// calibrated range [min(lo_c, 0), max(hi_c, 0)] spread over the codes that zero point leaves, never coarser than the
    /// tensor's own scale (so per-tensor clipping is kept) and at most <see cref="MaxScaleRatio"/> finer. Null when the
    /// statistics do not describe the tensor's channels (<see cref="K210Tensor.RangeChannels"/> maps them) or no channel gains.
    /// </summary>
    public static QuantParam[]? Scales(QuantParam tensor, TensorStatistics stats, int channels, int[]? rangeChannels)
    {
        int known = stats.ChannelMins.Count;
        if (rangeChannels is null ? known != channels : rangeChannels.Length != channels || rangeChannels.Any(r => r >= known))
        {
            return null;
        }

        double zero = tensor.ZeroPoint;
        var result = new QuantParam[channels];
        bool finer = false;
        for (int c = 0; c < channels; c++)
        {
            double s = tensor.S * MaxScaleRatio;
            int r = rangeChannels?[c] ?? c;
            double lo = Math.Min(stats.ChannelMins[r], 0), hi = Math.Max(stats.ChannelMaxs[r], 0);
            if (hi > 0)
            {
                s = Math.Min(s, (255 - zero) / hi);
            }

            if (lo < 0)
            {
                s = Math.Min(s, zero / -lo);
            }

            s = Math.Max(s, tensor.S);
            finer |= s > tensor.S;
            result[c] = new QuantParam(s, tensor.B);
        }

        return finer ? result : null;
    }

    /// <summary>
    /// A reader's weights for an input quantized per channel: w·s/s_c for input channel c, so the conv sees one scale s (the
    /// tensor's) — Σ w·(q + b)/s_c = Σ (w·s/s_c)·(q + b)/s — and the calibration means it corrects its bias with, scaled
    /// the other way. A channel with its own zero point (b_c ≠ b, <see cref="GroupedActivationTables"/>) adds the constant
    /// Σ w·(b_c − b)/s_c to the bias: exact for a 1×1 conv, which reads no padding.
    /// </summary>
    public static (KpuConvWeights Weights, double[]? Means) FoldInputScales(KpuConvWeights conv, IReadOnlyList<QuantParam> input, QuantParam reference, double[]? means)
    {
        double s = reference.S;
        int k2 = conv.KernelSize * conv.KernelSize, per = conv.WeightsPerOutput;
        var weights = new float[conv.Weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            int c = conv.Depthwise ? i / per : i % per / k2;
            weights[i] = (float)(conv.Weights[i] * s / input[c].S);
        }

        var scaled = means is null || means.Length != input.Count ? means
            : [.. means.Select((m, c) => (m * input[c].S / s) - ((input[c].B - reference.B) / s))];
        if (input.All(q => q.B == reference.B))
        {
            return (conv with { Weights = weights }, scaled);
        }

        if (conv.KernelSize != 1)
        {
            throw new InvalidOperationException("per-channel zero points need a reader without padding");
        }

        var bias = new float[conv.OutChannels];
        for (int o = 0; o < bias.Length; o++)
        {
            double sum = conv.Bias.Length > o ? conv.Bias[o] : 0;
            for (int i = o * per; i < (o + 1) * per; i++)
            {
                int c = conv.Depthwise ? o : i % per / k2;
                sum += conv.Weights[i] * (input[c].B - reference.B) / input[c].S;
            }

            bias[o] = (float)sum;
        }

        return (conv with { Weights = weights, Bias = bias }, scaled);
    }

    private static K210Tensor? Root(K210Tensor t)
    {
        var at = t;
        for (int guard = 0; at.QuantFrom is { } from && guard < 64; guard++)
        {
            at = from;
        }

        return at.Type == K210ElementType.UInt8 ? at : null;
    }

    /// <summary>Layers that copy bytes within each channel (the output shares the input's quantization).</summary>
    internal static bool IsChannelCopy(K210Layer layer) => layer switch
    {
        QuantizedMaxPoolLayer pool => pool.InputOffset < pool.InputHeight * pool.InputWidth && pool.Inputs[0].Channels == pool.Output.Channels,
        UploadLayer or ResizeNearestLayer => layer.Inputs[0].Channels == layer.Output.Channels,
        _ => false,
    };

    private static bool Reads(K210Layer reader, K210Tensor t) => reader switch
    {
        KpuConvLayer conv => conv.Inputs[0] == t && conv.InputChannelSources is null,
        DequantizeLayer => true,
        _ => IsChannelCopy(reader) && reader.Output.QuantFrom == t,
    };
}
