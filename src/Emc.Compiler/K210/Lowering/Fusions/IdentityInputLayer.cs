using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// kmodel v3 delivers the input image to the first KPU convolution only. When the (normalized) graph input feeds
/// anything else — several layers, an Add, a pool, a Reshape, a graph output — a 1×1 KPU conv that computes the
/// identity becomes the first layer, and its output (a KPU map, plus a main-memory copy when a CPU layer reads it)
/// stands for the input. With a uniform input map the layer shares the device input's quantization and is exact
/// byte for byte; a per-channel map or a channel swap is applied by the layer's weights and bias instead (the
/// consumers then see the normalized input, quantized on its calibrated range).
/// </summary>
internal sealed class IdentityInputLayer : IPass
{
    public static readonly IdentityInputLayer Instance = new();

    public string Name => "identity-input-layer";

    public string Summary => "a graph input that feeds anything but one Conv able to read the device image lands in a 1×1 identity KPU conv, the first layer (as row blocks over 65536 pixels), which its consumers read";

    /// <summary>
    /// True when the device input can go straight to its consumer: one Conv, not also a graph output, and not a conv
    /// that reads padding or shifted copies under a map the input's quantization cannot be (per-channel mean/std, a
    /// channel swap, a fractional zero point) — one pad_value cannot be real zero in every channel, so that map is
    /// applied by this identity layer first and the conv reads one quantization (issue 16 item 6). A conv that runs as
    /// row bands (<see cref="ConvByRowBands"/>, <see cref="StridedConvByRowBands"/>) reads this layer's main-memory copy
    /// instead. Over 65536 pixels this layer runs as row blocks (a large stride-2 stem usually reads the input's phases
    /// instead, <see cref="Rewrites.StridedInputConvAsPhases"/>, which apply the map themselves).
    /// </summary>
    public static bool FeedsOneConv(LoweringContext ctx, Value fed) =>
        fed.Consumers.Count == 1 && fed.Consumers[0].OpType == "Conv" && !ctx.Graph.Outputs.Contains(fed)
        && !RunsInBands(ctx, fed, fed.Consumers[0])
        && !(ctx.Preprocessing is { } pre && NeedsNormalizedInput(pre, fed.Consumers[0]));

    /// <summary>The conv runs as row bands over the input's main-memory copy: bands that exist because the input is over
    /// 65536 pixels (forced bands on a smaller map keep reading the device input), or strided bands; a 1×1 conv on row
    /// blocks reads the device input itself.</summary>
    private static bool RunsInBands(LoweringContext ctx, Value fed, Node conv) =>
        fed.Shape is { Rank: 4 } shape && conv.Parameters is ConvParameters p
        && ((long)shape[2] * shape[3] > Steps.CheckKpuLimits.MaxMainOutputPlane || StridedConvByRowBands.Matches(ctx, p))
        && ConvByRowBands.Bandable(ctx, conv) && !PointwiseConvOnRowBlocks.Takes(ctx, conv);

    /// <summary>A map that is not the input's quantization before a conv that reads padding or shifted copies; a channel
    /// swap alone folds into a native conv's weights, but not into shifted copies.</summary>
    private static bool NeedsNormalizedInput(Preprocessing pre, Node conv)
    {
        if (conv.Parameters is not ConvParameters p)
        {
            return false;
        }

        bool copies = ConvLowering.KernelProblems(p).Count > 0;
        bool padding = p.Geometry.PadTop + p.Geometry.PadLeft + p.PadBottom + p.PadRight > 0;
        return (!pre.IsQuantization && (padding || copies)) || (pre.SwapRedBlue && copies);
    }

    /// <summary>Adds the identity layer reading <paramref name="device"/>; false after a diagnostic. A map over 65536 pixels
    /// runs as its row blocks (<see cref="RowBlockView"/>): the same bytes, each output plane within channel_byte_num.</summary>
    public bool Apply(LoweringContext ctx, Value fed, K210Tensor device)
    {
        var pre = ctx.Preprocessing!;
        int c = device.Channels, h = device.Height, w = device.Width;
        int k = RowBlockView.Factor(c, h, w);
        if (!ConvLowering.FitsKpuMap(c, h, w) || k == 0)
        {
            ctx.Diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                $"the input '{fed.Name}' feeds {Consumers(fed)}, so it must pass through a KPU identity layer, but its {c}×{h}×{w} map is outside the KPU's limits (4×4 to {ConvLowering.MaxHeight}×{ConvLowering.MaxWidth}, ≤ {ConvLowering.MaxChannels} channels, a plane over 65536 pixels only as row blocks of a map wider than 32)",
                ctx.Graph.SourcePath));
            return false;
        }

        bool uniform = pre.IsQuantization;
        var weights = Weights(pre, c, uniform, k);
        var source = k == 1 ? device : RowBlockView.Reshaped(ctx, device, c * k, h / k, ".rows");
        var written = ctx.NewTensor(fed.Name + ".identity", K210ElementType.UInt8, K210MemoryKind.Kpu, c * k, h / k, w);
        if (uniform)
        {
            written.QuantFrom = device; // weight 1 between equal quantizations: every byte passes unchanged
        }
        else
        {
            written.RangeSource = fed;
            written.RangeChannels = k == 1 ? null : [.. Enumerable.Range(0, c * k).Select(i => i / k)];
        }

        var layer = ctx.Add(new KpuConvLayer("(input) " + fed.Name, source, written, weights, KpuActivationFunction.Linear, KpuPoolType.Bypass));
        var slot = ctx.Slot(fed);
        slot.Kpu = k == 1 ? written : RowBlockView.Reshaped(ctx, written, c, h, ".map");
        slot.KpuProducer = layer;
        ctx.Passes.Record(this);
        return true;
    }

    /// <summary>Depthwise weight 1 (or Scale[c], bias Offset[c] for a per-channel map); a channel swap needs a regular conv.
    /// Over <paramref name="blocks"/> row blocks every channel's entries repeat for each of its blocks.</summary>
    private static KpuConvWeights Weights(Preprocessing pre, int channels, bool uniform, int blocks)
    {
        if (blocks > 1)
        {
            var one = Weights(pre, channels, uniform, 1);
            int n = channels * blocks;
            var repeated = Enumerable.Range(0, n).Select(i => one.Bias[i / blocks]).ToArray();
            if (one.Depthwise)
            {
                return new KpuConvWeights(n, n, 1, true, [.. Enumerable.Range(0, n).Select(i => one.Weights[i / blocks])], repeated);
            }

            var matrix = new float[n * n];
            for (int o = 0; o < n; o++)
            {
                for (int i = 0; i < n; i++)
                {
                    matrix[(o * n) + i] = o % blocks == i % blocks ? one.Weights[((o / blocks) * channels) + (i / blocks)] : 0;
                }
            }

            return new KpuConvWeights(n, n, 1, false, matrix, repeated);
        }

        var bias = new float[channels];
        if (!pre.SwapRedBlue)
        {
            var scale = new float[channels];
            for (int o = 0; o < channels; o++)
            {
                scale[o] = uniform ? 1 : (float)pre.Scale[o];
                bias[o] = uniform ? 0 : (float)pre.Offset[o];
            }

            return new KpuConvWeights(channels, channels, 1, true, scale, bias);
        }

        return Matrix(pre, channels, uniform);
    }

    /// <summary>The same map as a regular 1×1 conv (a layer with a pool stage cannot be depthwise): weight 1, or Scale[c]
    /// and bias Offset[c], from device channel c (swapped red and blue when the order is bgr).</summary>
    public static KpuConvWeights Matrix(Preprocessing pre, int channels, bool uniform)
    {
        var matrix = new float[channels * channels];
        var bias = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            int source = pre.SwapRedBlue && channels == 3 ? 2 - o : o;
            matrix[(o * channels) + source] = uniform ? 1 : (float)pre.Scale[o];
            bias[o] = uniform ? 0 : (float)pre.Offset[o];
        }

        return new KpuConvWeights(channels, channels, 1, false, matrix, bias);
    }

    private static string Consumers(Value fed) => string.Join(", ", fed.Consumers.Select(n => $"{n.OpType} '{n.Name}'"));
}
