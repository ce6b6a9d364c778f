using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.K210.Memory;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Conv (+ fused BN / bias / activation / 2×2 or 4×4 max pool) → K210_CONV. The KPU always convolves at
/// stride 1 with "same" size (3×3 with one pixel of pad_value, or 1×1); the ONNX output is that map sampled at
/// <c>(r0 + s·i, c0 + s·j)</c>. Sampling is exact in every case: pool type 5 for (0, 0, 2) on a regular conv;
/// deferred to the next 1×1 conv (pool 5, or pool 6 with a one-row shifted read for (1, 1, 2), the TF-SAME
/// stride-2 case); otherwise a CPU pick (QUANTIZED_MAX_POOL2D 1×1) of the main-memory copy (also for unequal strides).
/// Other kernels (k×k, 1×N, dilation, groups, pads beyond one pixel) become one 3×3 conv over KPU-shifted copies of
/// the input (<see cref="StackShiftedWindows"/>, after <see cref="DilatedKernelAsZeroFilled"/> and
/// <see cref="GroupedConvAsBlockDiagonal"/>); convs a single native layer runs keep exactly the native path.
/// </summary>
internal sealed class ConvLowering : INodeLowering
{
    public const int MaxChannels = 1024;
    public const int MaxWidth = 960;
    public const int MaxHeight = 512;
    public const int MinSize = 4;
    public const int MaxLoads = 64;

    public static readonly ConvLowering Instance = new();

    /// <summary>Whether a C×H×W map can be one KPU conv's input or output (size and channel limits).</summary>
    public static bool FitsKpuMap(int c, int h, int w) => h >= MinSize && w >= MinSize && h <= MaxHeight && w <= MaxWidth && c <= MaxChannels;

    public string Name => "lower-conv";

    public string Summary => "Conv → K210_CONV (1×1/3×3 natively, other kernels over shifted copies; stride through pooling or sampling), with its followers fused";

    public IReadOnlyList<string> OpTypes { get; } = ["Conv"];

    public IReadOnlyList<IPass> Rewrites { get; } =
    [
        PointwiseConvOnUpsampledMap.Instance,
        SmallMapConvToFullyConnected.Instance,
        DilatedKernelAsZeroFilled.Instance,
        GroupedConvAsBlockDiagonal.Instance,
        StackShiftedWindows.Instance,
        SplitIntoGroupChunks.Instance,
        FoldBatchNorm.Instance,
        FoldBiasAdd.Instance,
        FuseActivationIntoKpuConv.Instance,
        PerChannelPReluAsHalves.Instance,
        AbsorbStrideSampleIntoConv.Instance,
        StrideByKpuPool.Instance,
        DeferStrideSample.Instance,
        OddStemByEdges.Instance,
        PointwiseConvOnRowBlocks.Instance,
        ConvByRowBands.Instance,
        StridedConvByRowBands.Instance,
        FuseMaxPoolIntoKpuConv.Instance,
        FoldPreprocessingIntoFirstConv.Instance,
        SplitKpuConv.Instance,
    ];

    public void ReportOwnProblems(LoweringContext ctx, Node node)
    {
        if (node.Parameters is ConvParameters cp && ProblemsAfterDecomposition(node, cp) is { Count: > 0 } problems
            && !(IsSmallMapOnly(ResourceProblems(node, cp)) && SmallMapConvToFullyConnected.Fits(cp)))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedConv, node, "cannot run on the KPU: " + string.Join("; ", problems));
        }
    }

    public void Lower(LoweringContext ctx, Node conv)
    {
        if (conv.Parameters is not ConvParameters p)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedConv, conv, "convolution was not resolved");
            return;
        }

        var g = p.Geometry;
        int k = g.KernelHeight;
        bool depthwise = g.IsDepthwise;
        var problems = Problems(conv, p);
        if (IsSmallMapOnly(ResourceProblems(conv, p))
            && (PointwiseConvOnUpsampledMap.Instance.TryLower(ctx, conv, p) || SmallMapConvToFullyConnected.Instance.TryLower(ctx, conv, p)))
        {
            return;
        }

        ShiftedWindowConv? windows = null;
        ConvKernelTaps? taps = null;
        if (KernelProblems(p).Count > 0)
        {
            problems = ResourceProblems(conv, p);
            if (problems.Count == 0)
            {
                (windows, taps, string? problem) = PlanDecomposition(conv, p);
                if (problem is not null)
                {
                    problems.Add(problem);
                }
                else
                {
                    RecordKernelRewrites(ctx, g);
                }
            }
        }

        if (problems.Count > 0)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedConv, conv, "cannot run on the KPU: " + string.Join("; ", problems));
            return;
        }

        int inChannels = g.InputChannels;
        float[] weights = conv.Inputs[1]!.Constant!.ToFloatArray();
        var chunks = windows is null || ctx.Slot(conv.Inputs[0]!).Kpu is { IsDeviceInput: true } ? null : SplitIntoGroupChunks.Plan(windows, taps!, g.InputWidth);
        if (chunks is not null)
        {
            (inChannels, depthwise, weights) = (windows!.Direct ? chunks.InChannels : windows.Slots * chunks.InChannels, false, SplitIntoGroupChunks.MainWeights(windows, taps!, chunks));
            k = windows.Kernel;
        }
        else if (windows is not null)
        {
            (inChannels, depthwise, weights) = StackShiftedWindows.MainWeights(windows, taps!, g.InputWidth);
            k = windows.Kernel;
        }

        int perOutput = (depthwise ? 1 : inChannels) * k * k;
        float[] bias = conv.Inputs.Count > 2 && conv.Inputs[2]?.Constant is { } bc ? bc.ToFloatArray() : new float[g.OutputChannels];
        var linear = LinearFollowers.Fold(ctx, conv.Outputs[0], new LinearWeights(weights, bias, perOutput));
        var (output, activation) = FuseActivationIntoKpuConv.Instance.Apply(ctx, linear, KpuActivationFunction.Linear);
        int outChannels = g.OutputChannels;
        bool halves = false;
        if (output == linear && chunks is null && PerChannelPReluAsHalves.Match(ctx, linear, outChannels) is { } slopes)
        {
            if (depthwise)
            {
                weights = PerChannelPReluAsHalves.DepthwiseAsRegular(weights, inChannels, k * k);
                (depthwise, perOutput) = (false, inChannels * k * k);
            }

            (output, weights, bias) = PerChannelPReluAsHalves.Instance.Apply(ctx, linear, slopes, weights, bias, perOutput);
            (activation, outChannels, halves) = (KpuActivationFunction.ReluAndNegativePart(slopes), 2 * outChannels, true);
        }

        int s = g.StrideHeight, sw = g.StrideWidth;
        int r0 = windows?.Rows.Offset ?? (k == 3 ? 1 - g.PadTop : 0);
        int c0 = windows?.Cols.Offset ?? (k == 3 ? 1 - g.PadLeft : 0);
        int ih = g.InputHeight, iw = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth;
        if (r0 + (s * (oh - 1)) > ih - 1 || c0 + (sw * (ow - 1)) > iw - 1)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedConv, conv, $"output {oh}×{ow} reaches beyond the stride-1 map (pads ({g.PadTop},{g.PadLeft},{p.PadBottom},{p.PadRight}))");
            return;
        }

        var inputValue = conv.Inputs[0]!;
        var inSlot = ctx.Slot(inputValue);
        if (inSlot.Failed)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        // A stride-1 output smaller than the map (a "valid" 2×2 kernel: 4×4 → 3×3) is a crop, i.e. a pending sample too.
        bool identity = r0 == 0 && c0 == 0 && s == 1 && sw == 1 && oh == ih && ow == iw;
        if (windows is null && !halves && inSlot.Sample is null && inSlot.Kpu is not { IsDeviceInput: true } && ConvByRowBands.Bandable(ctx, conv)
            && !FuseMaxPoolIntoKpuConv.Instance.Fuses(ctx, output, ih, iw) && (inSlot.Bands is not null || !PointwiseConvOnRowBlocks.Takes(ctx, conv)))
        {
            var source = inSlot.Bands ?? (ctx.GetMainU8(inputValue, conv) is { } inputMain ? ConvByRowBands.BandedMap.Planar(inputMain) : null);
            if (source is null)
            {
                ctx.Slot(output).Failed = true;
                return;
            }

            var bandWeights = new KpuConvWeights(inChannels, outChannels, k, depthwise, weights, bias);
            ConvByRowBands.BandedMap banded;
            if (s == 2)
            {
                var strided = StridedConvByRowBands.Plan(inChannels, outChannels, depthwise, ih, iw, ctx.Options.RowBandPlane)!;
                if (depthwise && StridedConvByRowBands.PoolingReader(ctx, output, outChannels, iw, strided) is { } reader)
                {
                    (output, banded) = StridedConvByRowBands.Instance.LowerWithReader(ctx, conv.Name, source, bandWeights, activation, strided, output, inputValue, reader);
                }
                else
                {
                    banded = StridedConvByRowBands.Instance.Lower(ctx, conv.Name, source, bandWeights, activation, strided, output, inputValue);
                }
            }
            else
            {
                banded = ConvByRowBands.Instance.Lower(ctx, conv.Name, source, bandWeights, activation,
                    ConvByRowBands.Plan(inChannels, outChannels, k, ih, iw, ctx.Options.RowBandPlane)!, output, inputValue);
            }
            var outSlot = ctx.Slot(output);
            outSlot.Bands = banded;
            if (!ConvByRowBands.OnlyBandedReaders(ctx, output))
            {
                outSlot.MainU8 = ConvByRowBands.Instance.Join(ctx, banded);
            }

            return;
        }

        var (input, pool, rowShift) = windows is null && k == 1 && identity && !depthwise && AbsorbStrideSampleIntoConv.Instance.TryApply(ctx, inSlot) is { } absorbed
            ? absorbed
            : (null, KpuPoolType.Bypass, false);
        input ??= ctx.GetKpu(inputValue, conv);
        if (windows is { Direct: false } && chunks is null)
        {
            input = input is null ? null : StackShiftedWindows.BuildStack(ctx, conv, input, windows);
        }

        if (input is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        PendingSample? sample = null;
        int kh = input.Height, kw = input.Width;
        bool unequalStrides = s != sw;
        if (!identity && !unequalStrides && pool == KpuPoolType.Bypass)
        {
            if (!depthwise && StrideByKpuPool.Instance.Matches(s, r0, c0, ih, iw, oh, ow))
            {
                ctx.Passes.Record(StrideByKpuPool.Instance);
                pool = KpuPoolType.LeftTop2S2;
            }
            else
            {
                ctx.Passes.Record(DeferStrideSample.Instance);
                sample = new PendingSample(r0, c0, s, oh, ow);
            }
        }

        var rangeSource = output;
        if (pool == KpuPoolType.Bypass && sample is null && !unequalStrides && !depthwise && FuseMaxPoolIntoKpuConv.Instance.TryApply(ctx, output, kh, kw) is { } fused)
        {
            (pool, output) = fused;
        }

        int factor = pool switch { KpuPoolType.Bypass => 1, KpuPoolType.Max4S4 or KpuPoolType.Mean4S4 => 4, _ => 2 };
        int outH = kh / factor, outW = kw / factor;
        if (outH < MinSize || outW < MinSize)
        {
            ctx.Error(CompilerDiagnostics.KpuLimit, conv, $"KPU output {outH}×{outW} is below the {MinSize}×{MinSize} minimum");
            return;
        }

        var convWeights = new KpuConvWeights(inChannels, outChannels, k, depthwise, weights, bias);
        if (inSlot.Kpu is { IsDeviceInput: true } && windows is not { Direct: false } && !FoldPreprocessingIntoFirstConv.Instance.Apply(ctx, conv, p, convWeights))
        {
            return;
        }

        if (sample is not null && windows is null && chunks is null && !halves && pool == KpuPoolType.Bypass && OddStemByEdges.Matches(ctx, input, convWeights, sample))
        {
            ctx.Slot(output).MainU8 = OddStemByEdges.Instance.Lower(ctx, conv.Name, input, convWeights, activation, sample, rangeSource, inputValue);
            return;
        }

        if (chunks is not null)
        {
            ctx.Passes.Record(SplitIntoGroupChunks.Instance);
            var whole = input;
            K210Tensor ChunkInput(int firstOutput)
            {
                var slice = SplitIntoGroupChunks.Slice(ctx, whole, firstOutput / chunks.OutChannels * chunks.InChannels, chunks.InChannels);
                return windows!.Direct ? slice : StackShiftedWindows.BuildStack(ctx, conv, slice, windows)!;
            }

            // The input, one chunk's stack and the whole KPU output cannot be live together (DeepLabV3's 480-channel
            // depthwise convs at dilation 4): the chunks' outputs then go to main memory only (tiled).
            long stackUnits = windows!.Direct ? 0 : KpuTensorLayout.SizeInUnits(whole.Width, whole.Height, (long)windows.Slots * chunks.InChannels);
            bool tiled = MemoryPlanner.KpuUnits(whole) + stackUnits + KpuTensorLayout.SizeInUnits(outW, outH, outChannels) > KpuTensorLayout.TotalUnits;
            int before = ctx.Model.Layers.Count;
            // A chunk of a direct kernel reads a channel range of the conv's input: its statistics are those channels'.
            SplitKpuConv.Lower(ctx, conv, new ConvSplitPlan(chunks.OutChannels, chunks.Count, tiled), input, convWeights, activation, pool, rowShift, sample, output, rangeSource, outH, outW,
                (first, _) => ChunkInput(first), windows.Direct ? inputValue : null, first => first / chunks.OutChannels * chunks.InChannels);
            if (tiled)
            {
                foreach (var part in ctx.Model.Layers.Skip(before).OfType<KpuConvLayer>().Where(l => l.MainOutput is not null && l.Output.Channels == Math.Min(chunks.OutChannels, outChannels)))
                {
                    part.Tiling = string.Create(CultureInfo.InvariantCulture, $"group chunk of {chunks.OutChannels} outputs, output to main memory only (input, stack and whole output exceed KPU RAM)");
                }
            }
            if (unequalStrides)
            {
                PickUnequalStrides(ctx, conv, output, r0, c0, s, sw, oh, ow);
            }

            return;
        }

        // Per-channel PRelu: the halves are not monotone alike, so the pool (and any sampling) waits for their sum.
        var (halvesH, halvesW) = halves ? (kh, kw) : (outH, outW);
        bool inputInMainMemory = depthwise && !halves && windows is null && !rowShift && inSlot.Sample is null
            && inSlot.KpuProducer is not null && input == inSlot.Kpu;
        var plan = SplitKpuConv.Plan(convWeights, input, halvesH, halvesW, ctx.Options.WeightBits, out string? limitProblem, inputInMainMemory);
        if (plan is null)
        {
            string via = windows is { Direct: false }
                ? $"kernel {taps!.Height}×{taps.Width} as one 3×3 conv over {windows.Slots} shifted copies of the input ({inChannels} channels; row bands are not implemented over shifted copies): "
                : string.Empty;
            ctx.Error(CompilerDiagnostics.KpuLimit, conv, via + limitProblem!);
            return;
        }

        if (halves && (plan.Count > 1 || plan.Tiled))
        {
            ctx.Error(CompilerDiagnostics.KpuLimit, conv, $"the per-channel PRelu after it needs the conv's {outChannels / 2} output channels twice ({outChannels}) in one KPU layer, and that layer must be split: "
                + $"{plan.Count} parts{(plan.Tiled ? ", tiled" : string.Empty)}");
            return;
        }

        if (plan.Count > 1 || plan.Tiled)
        {
            ctx.Passes.Record(SplitKpuConv.Instance);
            var inputMain = plan.TiledInput ? ctx.GetMainU8(inputValue, conv) : null;
            bool preprocessed = input.IsDeviceInput && ctx.Preprocessing is { IsQuantization: false };
            SplitKpuConv.Lower(ctx, conv, plan, input, convWeights, activation, pool, rowShift, sample, output, rangeSource, outH, outW,
                inputMain is null ? null : (first, count) => SplitKpuConv.UploadChannels(ctx, conv, inputMain, first, count),
                windows is { Direct: false } || preprocessed ? null : inputValue);
            if (unequalStrides)
            {
                PickUnequalStrides(ctx, conv, output, r0, c0, s, sw, oh, ow);
            }

            return;
        }

        if (windows is null && !halves && pool == KpuPoolType.Bypass && sample is null && !unequalStrides && !rowShift
            && PointwiseConvOnRowBlocks.Factor(ctx, input, convWeights) is > 1 and var blocks)
        {
            bool raw = input.IsDeviceInput && ctx.Preprocessing is { IsQuantization: false };
            var (rowLayer, map) = PointwiseConvOnRowBlocks.Instance.Lower(ctx, conv.Name, input, convWeights, activation, blocks, rangeSource, raw ? null : inputValue);
            ctx.Slot(output).Kpu = map;
            ctx.Slot(output).KpuProducer = rowLayer;
            return;
        }

        var result = ctx.NewTensor(halves ? output.Name + ".halves" : output.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, outChannels, halvesH, halvesW);
        result.RangeSource = rangeSource;
        result.RangeChannels = halves ? PerChannelPReluAsHalves.HalvesChannels(g.OutputChannels) : null;
        var sampling = sample is null ? null : new MapSampling(sample.RowOffset, sample.ColOffset, sample.Stride);
        result.Sampling = halves ? null : sampling;
        bool rawDeviceInput = input.IsDeviceInput && ctx.Preprocessing is { } pre
            && !pre.IsQuantization;
        var layer = ctx.Add(new KpuConvLayer(conv.Name, input, result, convWeights, activation, halves ? KpuPoolType.Bypass : pool)
        {
            InputRowShift = rowShift,
            InputValue = rawDeviceInput ? null : inputValue,
            InputChannelSources = windows is { Direct: false } ? StackShiftedWindows.ChannelSources(windows, g.InputChannels, g.InputWidth) : null,
        });
        if (halves)
        {
            var sum = ctx.NewTensor(output.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, g.OutputChannels, outH, outW);
            sum.RangeSource = rangeSource;
            sum.Sampling = sampling;
            layer = ctx.Add(new KpuConvLayer(conv.Name + " (sum of halves)", result, sum, PerChannelPReluAsHalves.SumOfHalves(g.OutputChannels), KpuActivationFunction.Linear, pool));
            result = sum;
        }

        var slot = ctx.Slot(output);
        slot.Kpu = result;
        slot.KpuProducer = layer;
        slot.Sample = sample;
        if (unequalStrides)
        {
            PickUnequalStrides(ctx, conv, output, r0, c0, s, sw, oh, ow);
        }
    }

    /// <summary>Strides (sh, sw) with sh ≠ sw: a CPU pick of the stride-1 map's main-memory copy (exact).</summary>
    private static void PickUnequalStrides(LoweringContext ctx, Node conv, Value output, int r0, int c0, int sh, int sw, int oh, int ow)
    {
        var full = ctx.GetMainU8(output, conv)!;
        var picked = ctx.NewTensor(output.Name + ".pick", K210ElementType.UInt8, K210MemoryKind.Main, full.Channels, oh, ow);
        picked.QuantFrom = full;
        ctx.Add(new QuantizedMaxPoolLayer(conv.Name, full, picked, (r0 * full.Width) + c0, full.Height, full.Width, 1, sh, 0, 0) { StrideW = sw });
        var slot = ctx.Slot(output);
        slot.MainU8 = picked;
        slot.Kpu = null;
        slot.KpuProducer = null;
    }

    /// <summary>The only resource problem is a map below 4×4, which the small-map lowerings take instead of the KPU.</summary>
    private static bool IsSmallMapOnly(List<string> resources) =>
        resources.Count == 1 && resources[0].StartsWith("input ", StringComparison.Ordinal) && resources[0].Contains("at least", StringComparison.Ordinal);

    private static void RecordKernelRewrites(LoweringContext ctx, Conv2DGeometry g)
    {
        if (g.DilationHeight != 1 || g.DilationWidth != 1)
        {
            ctx.Passes.Record(DilatedKernelAsZeroFilled.Instance);
        }

        if (g.Group != 1 && !g.IsDepthwise)
        {
            ctx.Passes.Record(GroupedConvAsBlockDiagonal.Instance);
        }
    }

    /// <summary>Every reason the conv cannot be one native K210_CONV (empty when it can).</summary>
    public static List<string> Problems(Node conv, ConvParameters p) => [.. KernelProblems(p), .. ResourceProblems(conv, p)];

    /// <summary>The reasons left once kernels, dilation, groups and pads go through the shifted-window decomposition.</summary>
    public static List<string> ProblemsAfterDecomposition(Node conv, ConvParameters p)
    {
        var problems = ResourceProblems(conv, p);
        if (KernelProblems(p).Count > 0 && problems.Count == 0)
        {
            var (_, _, problem) = PlanDecomposition(conv, p);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    /// <summary>The shifted-window realisation of a conv the KPU cannot run natively, or the limit it breaks.</summary>
    public static (ShiftedWindowConv? Windows, ConvKernelTaps? Taps, string? Problem) PlanDecomposition(Node conv, ConvParameters p)
    {
        var g = p.Geometry;
        var taps = ConvKernelTaps.FromOnnx(p, conv.Inputs[1]!.Constant!.ToFloatArray());
        var windows = StackShiftedWindows.Plan(p, taps);
        if (windows is null)
        {
            return (null, null, $"output {g.OutputHeight}×{g.OutputWidth} of kernel {taps.Height}×{taps.Width} reaches beyond the stride-1 map of the input {g.InputHeight}×{g.InputWidth} (pads ({g.PadTop},{g.PadLeft},{p.PadBottom},{p.PadRight})): outputs that read only padding are not computed by the KPU");
        }

        var chunks = SplitIntoGroupChunks.Plan(windows, taps, g.InputWidth);
        int stacked = windows.Direct ? g.InputChannels : windows.Slots * (chunks?.InChannels ?? StackShiftedWindows.SlotChannels(g.InputChannels, g.InputWidth));
        if (stacked > MaxChannels)
        {
            return (null, null, $"kernel {taps.Height}×{taps.Width} needs {windows.Slots} shifted copies of the {g.InputChannels} input channels ({stacked} stacked channels, limit {MaxChannels})");
        }

        return (windows, taps, null);
    }

    /// <summary>Kernel shape, dilation, groups, strides and pads a single native K210_CONV does not run.</summary>
    public static List<string> KernelProblems(ConvParameters p)
    {
        var g = p.Geometry;
        var problems = new List<string>();
        int k = g.KernelHeight;
        bool depthwise = g.IsDepthwise;
        if (g.KernelHeight != g.KernelWidth || (k != 1 && k != 3))
        {
            problems.Add($"kernel {g.KernelHeight}×{g.KernelWidth} (the KPU runs 1×1 and 3×3 only)");
        }

        if (g.DilationHeight != 1 || g.DilationWidth != 1)
        {
            problems.Add($"dilation {g.DilationHeight}×{g.DilationWidth} (the KPU supports 1)");
        }

        if (g.Group != 1 && !depthwise)
        {
            problems.Add($"group {g.Group} (the KPU supports 1 or depthwise with channel multiplier 1)");
        }

        if (g.StrideHeight != g.StrideWidth)
        {
            problems.Add($"strides {g.StrideHeight}×{g.StrideWidth} (must be equal)");
        }

        if (k == 1 && (g.PadTop != 0 || g.PadLeft != 0 || p.PadBottom != 0 || p.PadRight != 0))
        {
            problems.Add("padding on a 1×1 kernel");
        }

        if (k == 3 && (g.PadTop > 1 || g.PadLeft > 1 || p.PadBottom > 1 || p.PadRight > 1))
        {
            problems.Add($"pads ({g.PadTop},{g.PadLeft},{p.PadBottom},{p.PadRight}) (at most 1 per side)");
        }

        return problems;
    }

    /// <summary>Channel, size and constant-weight limits that no kernel decomposition changes.</summary>
    public static List<string> ResourceProblems(Node conv, ConvParameters p)
    {
        var g = p.Geometry;
        var problems = new List<string>();
        // More than 1024 output channels are split over several convs (ConvSplitting); inputs cannot be split exactly.
        if (g.InputChannels > MaxChannels)
        {
            problems.Add($"{g.InputChannels} input channels (limit {MaxChannels}; a conv cannot be split over its input channels without a CPU sum of partial results, which kmodel v3 lacks)");
        }

        if (g.InputWidth > MaxWidth || g.InputHeight > MaxHeight)
        {
            problems.Add($"input {g.InputHeight}×{g.InputWidth} (limits: width ≤ {MaxWidth}, height ≤ {MaxHeight})");
        }

        if (g.InputWidth < MinSize || g.InputHeight < MinSize)
        {
            problems.Add($"input {g.InputHeight}×{g.InputWidth} (the KPU needs at least {MinSize}×{MinSize})");
        }

        if (conv.Inputs[1]?.Constant is null || (conv.Inputs.Count > 2 && conv.Inputs[2] is { } b && b.Constant is null))
        {
            problems.Add("weights or bias computed at run time");
        }

        return problems;
    }

    /// <summary>Weights per load (nncase: 30 KiB 8-bit / 60 KiB 16-bit) and at most 64 loads (spec §5.3).</summary>
    public static (int PerLoad, int Loads) WeightLoads(KpuConvWeights w, int weightBits)
    {
        if (w.Depthwise)
        {
            return (w.OutChannels, 1);
        }

        int bytesPerOutput = w.WeightsPerOutput * (weightBits / 8);
        int limit = weightBits == 8 ? 30720 : 61440;
        int occ = Math.Min(w.OutChannels, limit / bytesPerOutput);
        return occ == 0 ? (0, int.MaxValue) : (occ, (w.OutChannels + occ - 1) / occ);
    }
}
