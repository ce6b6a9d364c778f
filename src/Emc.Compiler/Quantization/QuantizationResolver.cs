using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Diagnostics;

namespace Emc.Compiler.Quantization;

/// <summary>
/// Gives every uint8 tensor its (s, b) — from its calibrated IR value, or shared with the tensor a
/// non-rescaling layer copies (spec §7.7) — then derives each KPU conv's integer parameters.
/// </summary>
internal static class QuantizationResolver
{
    /// <summary>The IR values whose ranges the lowered model needs: every tensor's range source, also those reached only through
    /// <see cref="K210Tensor.QuantFrom"/> (a view of an exclusive concat's buffer shares the quantization of a buffer
    /// no layer names directly).</summary>
    public static IReadOnlyCollection<Value> RangeSources(K210Model model) =>
        AllTensors(model).SelectMany(QuantChain).Select(t => t.RangeSource)
            .Concat(model.Layers.OfType<KpuConvLayer>().Select(c => c.InputOrigin.Value))
            .OfType<Value>().Distinct().ToList();

    public static void Resolve(K210Model model, IReadOnlyDictionary<Value, TensorStatistics> stats, CompileOptions options, DiagnosticBag diagnostics, string? path,
        IReadOnlyDictionary<(Value, PatchShape), PatchMoments>? patches = null)
    {
        var method = options.Calibration == CalibrationMethod.Default ? DefaultMethod : options.Calibration;
        foreach (var t in AllTensors(model))
        {
            Resolve(t, stats, method);
        }

        var families = options.ActivationRanges == ActivationRanges.PerChannel ? PerChannelActivationRanges.Families(model) : [];
        var familyOf = new Dictionary<K210Tensor, PerChannelActivationRanges.Family>();
        foreach (var family in families)
        {
            var root = family.Root;
            if (stats.TryGetValue(root.RangeSource!, out var s) && PerChannelActivationRanges.Scales(root.Quant!.Value, s, root.Channels, root.RangeChannels) is { } scales)
            {
                foreach (var (member, first) in family.FirstChannels)
                {
                    member.ChannelQuant = scales[first..(first + member.Channels)];
                    familyOf[member] = family;
                }
            }
        }

        var grouped = new Dictionary<K210Tensor, GroupedActivationTables.Candidate>();
        if (options.ActivationRanges == ActivationRanges.PerChannel)
        {
            foreach (var candidate in GroupedActivationTables.Candidates(model).Where(c => GroupedActivationTables.Assign(c, stats)))
            {
                foreach (var t in candidate.Members)
                {
                    grouped[t] = candidate;
                }
            }
        }

        // A conv whose integer parameters do not fit with per-channel scales (norm_mul's range) falls back to per-tensor
        // quantization of the tensors it reads and writes; that changes the convs around them, so derive again.
        var convs = model.Layers.OfType<KpuConvLayer>().ToList();
        while (true)
        {
            var failed = new List<(KpuConvLayer Conv, string Error)>();
            foreach (var conv in convs)
            {
                conv.Parameters = Derive(conv, stats, patches, options, out string? error);
                if (conv.Parameters is null)
                {
                    failed.Add((conv, error!));
                }
            }

            var dropped = failed.SelectMany(f => new[] { f.Conv.Inputs[0], f.Conv.Output })
                .Select(t => familyOf.GetValueOrDefault(t)).OfType<PerChannelActivationRanges.Family>().ToHashSet();
            var ungrouped = failed.SelectMany(f => new[] { f.Conv.Inputs[0], f.Conv.Output })
                .Select(t => grouped.GetValueOrDefault(t)).OfType<GroupedActivationTables.Candidate>().ToHashSet();
            if (dropped.Count == 0 && ungrouped.Count == 0)
            {
                foreach (var (conv, error) in failed)
                {
                    diagnostics.Add(CompilerDiagnostics.ParameterOverflow.Create($"conv '{conv.Name}': {error}", path, conv.Name, "Conv"));
                }

                foreach (var candidate in grouped.Values.Distinct())
                {
                    GroupedActivationTables.Split(model, candidate);
                }

                return;
            }

            foreach (var candidate in ungrouped)
            {
                GroupedActivationTables.Clear(candidate);
                foreach (var t in candidate.Members)
                {
                    grouped.Remove(t);
                }
            }

            foreach (var member in dropped.SelectMany(f => f.FirstChannels.Keys))
            {
                member.ChannelQuant = null;
                familyOf.Remove(member);
            }
        }
    }

    private static KpuConvQuantization? Derive(KpuConvLayer conv, IReadOnlyDictionary<Value, TensorStatistics> stats,
        IReadOnlyDictionary<(Value, PatchShape), PatchMoments>? patches, CompileOptions options, out string? error)
    {
        double[]? means = InputMeans(conv, stats);
        if (means is not null && conv.InputChannelSources is { } sources)
        {
            means = [.. sources.Select(c => c < 0 ? 0 : means[c])];
        }

        var input = conv.Inputs[0];
        var weights = conv.Weights;
        if (input.ChannelQuant is { } channels)
        {
            (weights, means) = PerChannelActivationRanges.FoldInputScales(weights, channels, input.Quant!.Value, means);
        }

        var feedback = WeightRoundingFactors.For(conv, weights, input.ChannelQuant, input.Quant!.Value, patches);
        return KpuConvQuantizer.Derive(weights, input.Quant!.Value, conv.Output.Quant!.Value, conv.Activation, options.WeightBits, out error, means, conv.Output.ChannelQuant, feedback);
    }

    /// <summary>The calibration means of the conv's input channels: its input value's, or a split conv part's channels
    /// of the whole conv's input.</summary>
    private static double[]? InputMeans(KpuConvLayer conv, IReadOnlyDictionary<Value, TensorStatistics> stats)
    {
        var (origin, first) = conv.InputOrigin;
        if (origin is null || !stats.TryGetValue(origin, out var s))
        {
            return null;
        }

        var means = s.ChannelMeans;
        if (conv.InputValue is not null)
        {
            return means;
        }

        int count = conv.Weights.InChannels;
        return first + count <= means.Length ? means[first..(first + count)] : null;
    }

    /// <summary>
    /// The method <see cref="CalibrationMethod.Default"/> stands for: the measured best. With bias correction and
    /// optimised weight zero points (16 MobileNet calibration images; 64 MNIST images, 300 evaluated):
    /// <code>
    ///              MobileNetV1-0.25 (28 images)   mnist-tiny          mnist-cnn
    ///              top-1 vs ORT  logits SQNR      acc     SQNR        acc     SQNR
    /// MinMax       28/28         23.1 dB          293/300 39.2 dB     298/300 50.4 dB
    /// Percentile   28/28         23.1 dB          293/300 30.2 dB     298/300 35.2 dB
    /// Mse          28/28         23.1 dB          293/300 36.7 dB     298/300 51.3 dB
    /// Kld          26/28         16.9 dB          265/300  3.6 dB     297/300  8.9 dB
    /// </code>
    /// (float: MNIST 293 and 298.) MinMax ties MSE on accuracy and is simpler and ahead on two of three SQNRs.
    /// ReLU6 ranges saturate at 6, so clipping gains nothing there; clipping the final logits' range (KL) costs accuracy.
    /// Consumer (issue 10) is MinMax except where clipping cuts the error the readers see at least fourfold; on the
    /// real-zoo yardstick it moves light-person-detector 2.1 → 8.6 dB and leaves every other model and MobileNetV1-0.25
    /// unchanged (docs/accuracy.md).
    /// </summary>
    public static CalibrationMethod DefaultMethod => CalibrationMethod.Consumer;

    private static QuantParam Resolve(K210Tensor t, IReadOnlyDictionary<Value, TensorStatistics> stats, CalibrationMethod method)
    {
        if (t.Quant is { } q)
        {
            return q;
        }

        QuantParam result;
        if (t.QuantFrom is { } from)
        {
            result = Resolve(from, stats, method);
        }
        else if (t.RangeSource is { } v && stats.TryGetValue(v, out var s))
        {
            var (min, max) = RangeSelector.Select(s, method);
            result = QuantParam.FromRange(min, max);
        }
        else
        {
            result = QuantParam.FromRange(0, 1);
        }

        t.Quant = result;
        return result;
    }

    private static IEnumerable<K210Tensor> QuantChain(K210Tensor t)
    {
        for (K210Tensor? at = t; at is not null; at = at.QuantFrom)
        {
            yield return at;
        }
    }

    private static IEnumerable<K210Tensor> AllTensors(K210Model model) =>
        model.Layers.SelectMany(l => l.Inputs.Append(l.Output).Concat(l.ExtraOutputs))
            .Where(t => t.Type == K210ElementType.UInt8)
            .Distinct();
}
