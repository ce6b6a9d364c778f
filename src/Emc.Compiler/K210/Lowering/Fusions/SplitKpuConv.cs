using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.K210.Memory;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>How one ONNX conv is realised: <see cref="Count"/> KPU convs of at most <see cref="ChannelsPerConv"/>
/// output channels; <see cref="Tiled"/> when their KPU outputs are scratch tiles (only the main-memory copy is whole);
/// <see cref="TiledInput"/> when each part of a depthwise conv uploads its own input channels from main memory.</summary>
internal sealed record ConvSplitPlan(int ChannelsPerConv, int Count, bool Tiled, bool TiledInput = false);

/// <summary>
/// Convs beyond one KPU layer's limits — more than 1024 output channels, more than 64 weight loads, or input +
/// output above the 32768 units of KPU RAM — become several K210_CONVs over output-channel ranges. Each computes
/// its channels exactly as the whole conv would (same input, same output (s, b); per-channel weight scaling is per
/// conv), and the results land in one buffer: the main-memory copies as consecutive slices of one planar tensor (an
/// exclusive concat) and, unless tiled, the KPU maps as consecutive channel groups of one KPU tensor. A depthwise
/// conv whose input and output do not fit together (MobileNetV2's 48-channel expansion at 129×129) is tiled in
/// channel groups with its input: the producer sends the map to main memory, and each part uploads its channels
/// (one contiguous planar range) before its conv — output channel c reads input channel c only, so exact.
/// </summary>
internal sealed class SplitKpuConv : IPass
{
    public static readonly SplitKpuConv Instance = new();

    public string Name => "split-kpu-conv";

    public string Summary => "a conv over one KPU layer's limits (>1024 outputs, >64 loads, KPU RAM) → several K210_CONVs over output-channel ranges";

    /// <summary>Channel ranges start at multiples of 8: whole KPU row groups (≤ 4 channels) and 8-byte DMA words.</summary>
    private const int Alignment = 8;

    /// <summary>The split needed (Count = 1 and not tiled: none), or null with the limit that cannot be met.</summary>
    /// <param name="inputInMainMemory">The conv's input can be sent to main memory and read back by channel ranges (a KPU
    /// conv's output, unsampled): then a depthwise conv too large for KPU RAM is tiled with its input.</param>
    public static ConvSplitPlan? Plan(KpuConvWeights w, K210Tensor input, int outH, int outW, int weightBits, out string? problem, bool inputInMainMemory = false)
    {
        problem = null;
        int oc = w.OutChannels;
        var (perLoad, _) = ConvLowering.WeightLoads(w, weightBits);
        if (perLoad == 0)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"one output channel needs {w.WeightsPerOutput * (weightBits / 8)} weight bytes, more than one KPU load ({(weightBits == 8 ? 30720 : 61440)} bytes)");
            return null;
        }

        int limit = Math.Min(ConvLowering.MaxChannels, w.Depthwise ? oc : perLoad * ConvLowering.MaxLoads);
        long inUnits = MemoryPlanner.KpuUnits(input);
        long free = KpuTensorLayout.TotalUnits - inUnits;
        bool tiled = oc > ConvLowering.MaxChannels || inUnits + KpuTensorLayout.SizeInUnits(outW, outH, oc) > KpuTensorLayout.TotalUnits;
        if (tiled)
        {
            int fit = 0;
            while (fit + Alignment <= oc && KpuTensorLayout.SizeInUnits(outW, outH, fit + Alignment) <= free)
            {
                fit += Alignment;
            }

            if (fit == 0 && KpuTensorLayout.SizeInUnits(outW, outH, oc) <= free)
            {
                fit = oc;
            }

            if (w.Depthwise && inputInMainMemory && DepthwiseGroup(input, outH, outW, oc) is int group and > 0)
            {
                return new ConvSplitPlan(group, (oc + group - 1) / group, true, true);
            }

            if (fit == 0 || w.Depthwise)
            {
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"KPU RAM: the input needs {inUnits} units and {(w.Depthwise ? "a depthwise conv's output (its channels cannot be tiled apart from its input)" : $"even {Math.Min(Alignment, oc)} output channels")} need {KpuTensorLayout.SizeInUnits(outW, outH, Math.Min(Alignment, oc))} more; KPU RAM has {KpuTensorLayout.TotalUnits} units of 64 bytes");
                return null;
            }

            limit = Math.Min(limit, fit);
        }

        if (limit < oc)
        {
            limit = Math.Max(Alignment, limit / Alignment * Alignment);
        }

        return new ConvSplitPlan(limit, (oc + limit - 1) / limit, tiled);
    }

    /// <summary>The most channels (a multiple of 8, or all) whose input and output maps fit KPU RAM together; 0 if none.</summary>
    private static int DepthwiseGroup(K210Tensor input, int outH, int outW, int channels)
    {
        bool Fits(int g) => KpuTensorLayout.SizeInUnits(input.Width, input.Height, g) + input.KpuTailUnits
            + KpuTensorLayout.SizeInUnits(outW, outH, g) <= KpuTensorLayout.TotalUnits;
        int fit = 0;
        while (fit + Alignment <= channels && Fits(fit + Alignment))
        {
            fit += Alignment;
        }

        return fit == 0 && Fits(channels) ? channels : fit;
    }

    /// <summary>Input channels [first, first + count) of a planar main-memory map, uploaded for one part's conv.</summary>
    public static K210Tensor UploadChannels(LoweringContext ctx, Node conv, K210Tensor main, int first, int count)
    {
        string tiling = string.Create(CultureInfo.InvariantCulture, $"depthwise channel group {first}..{first + count - 1} of {main.Channels}: its input channels uploaded from main memory");
        var view = ctx.NewTensor($"{main.Name}[{first}:{first + count}]", K210ElementType.UInt8, K210MemoryKind.Main, count, main.Height, main.Width);
        view.AliasOf = main;
        view.AliasOffset = (long)first * main.Height * main.Width;
        view.QuantFrom = main;
        var kpu = ctx.NewTensor(view.Name + ".kpu", K210ElementType.UInt8, K210MemoryKind.Kpu, count, main.Height, main.Width);
        kpu.QuantFrom = main;
        ctx.Add(new UploadLayer(conv.Name, view, kpu)).Tiling = tiling;
        return kpu;
    }

    public static void Lower(LoweringContext ctx, Node conv, ConvSplitPlan plan, K210Tensor input, KpuConvWeights w, KpuActivationFunction activation,
        KpuPoolType pool, bool rowShift, PendingSample? sample, Value output, Value rangeSource, int outH, int outW,
        Func<int, int, K210Tensor>? partInput = null, Value? inputValue = null, Func<int, int>? firstInputChannel = null)
    {
        int oc = w.OutChannels, per = w.WeightsPerOutput;
        var main = ctx.NewTensor(output.Name, K210ElementType.UInt8, K210MemoryKind.Main, oc, outH, outW);
        K210Tensor? kpu = null;
        if (plan.Tiled)
        {
            main.RangeSource = rangeSource;
        }
        else
        {
            kpu = ctx.NewTensor(output.Name + ".kpu", K210ElementType.UInt8, K210MemoryKind.Kpu, oc, outH, outW);
            kpu.RangeSource = rangeSource;
            main.QuantFrom = kpu;

            // The whole KPU map is no layer's input or output when only CPU layers read the result: name the range
            // on the main copy too, so calibration measures it (QuantFrom still decides).
            main.RangeSource = rangeSource;
        }

        var layout = KpuTensorLayout.ForWidth(outW);
        for (int c0 = 0; c0 < oc; c0 += plan.ChannelsPerConv)
        {
            int count = Math.Min(plan.ChannelsPerConv, oc - c0);
            bool depthwise = plan.TiledInput && w.Depthwise;
            var part = new KpuConvWeights(depthwise ? count : w.InChannels, count, w.KernelSize, depthwise,
                w.Weights.AsSpan(c0 * per, count * per).ToArray(), w.Bias.AsSpan(c0, count).ToArray());
            var tile = ctx.NewTensor($"{output.Name}[{c0}:{c0 + count}]", K210ElementType.UInt8, K210MemoryKind.Kpu, count, outH, outW);
            tile.QuantFrom = kpu ?? main;
            if (kpu is not null)
            {
                tile.AliasOf = kpu;
                tile.AliasOffset = (long)(c0 / layout.Groups) * layout.RowLength * outH;
            }

            var slice = ctx.NewTensor(tile.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, count, outH, outW);
            slice.AliasOf = main;
            slice.AliasOffset = (long)c0 * outH * outW;
            slice.QuantFrom = tile;
            var layer = ctx.Add(new KpuConvLayer(conv.Name, partInput?.Invoke(c0, count) ?? input, tile, part, activation, pool)
            {
                InputRowShift = rowShift,
                MainOutput = slice,
                PartOf = inputValue is null ? null : (inputValue, depthwise ? c0 : firstInputChannel?.Invoke(c0) ?? 0),
            });
            if (plan.TiledInput)
            {
                layer.Tiling = string.Create(CultureInfo.InvariantCulture, $"depthwise channel group {c0}..{c0 + count - 1} of {oc}: output to main memory");
            }
        }

        var slot = ctx.Slot(output);
        if (sample is { } s)
        {
            // The ONNX output is a subsample of the stride-1 map: pick it on the CPU (exact).
            var picked = ctx.NewTensor(output.Name + ".pick", K210ElementType.UInt8, K210MemoryKind.Main, oc, s.Height, s.Width);
            picked.QuantFrom = main;
            ctx.Add(new QuantizedMaxPoolLayer(conv.Name, main, picked, (s.RowOffset * outW) + s.ColOffset, outH, outW, 1, s.Stride, 0, 0));
            slot.MainU8 = picked;
            return;
        }

        slot.MainU8 = main;
        slot.Kpu = kpu;
    }
}
