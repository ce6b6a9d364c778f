using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A 1×1 conv (no pool, no sampling) whose output plane exceeds 65536 pixels runs on the row blocks of its maps
/// (<see cref="RowBlockView"/>): input [IC·k, H/k, W] → output [OC·k, H/k, W], weights W ⊗ I_k (output block j of channel o
/// reads block j of every input channel). Each pixel's sum, quantization and activation are the whole conv's, so the bytes
/// written are those one layer over [OC, H, W] would write; the KPU does k times the multiply-adds (the zero blocks), with
/// no copy through main memory.
/// </summary>
internal sealed class PointwiseConvOnRowBlocks : IPass
{
    public static readonly PointwiseConvOnRowBlocks Instance = new();

    public string Name => "pointwise-conv-on-row-blocks";

    public string Summary => "a 1×1 conv whose output plane is over 65536 pixels → the same conv on [C·k, H/k, W] row blocks with weights W ⊗ I_k";

    /// <summary>The row-block factor for this conv, or 0 when it does not apply (not 1×1, a plane that fits, no legal k, or
    /// the enlarged weights do not fit one layer).</summary>
    public static int Factor(LoweringContext ctx, K210Tensor input, KpuConvWeights w) =>
        input.Memory == K210MemoryKind.Kpu ? Factor(ctx, input.Height, input.Width, w) : 0;

    /// <summary>True for a conv that <see cref="ConvByRowBands"/> could band but this rewrite takes instead (a 1×1 conv on
    /// row blocks needs no copy through main memory); decided from the shapes alone.</summary>
    public static bool Takes(LoweringContext ctx, Ir.Node conv)
    {
        if (!ConvByRowBands.Bandable(ctx, conv) || conv.Parameters is not Ops.ConvParameters { Geometry: { KernelHeight: 1 } g })
        {
            return false;
        }

        int weights = (g.IsDepthwise ? 1 : g.InputChannels) * g.OutputChannels;
        var probe = new KpuConvWeights(g.IsDepthwise ? g.OutputChannels : g.InputChannels, g.OutputChannels, 1, g.IsDepthwise, new float[weights], new float[g.OutputChannels]);
        return Factor(ctx, g.InputHeight, g.InputWidth, probe) > 1;
    }

    private static int Factor(LoweringContext ctx, int h, int w, KpuConvWeights weights)
    {
        if (weights.KernelSize != 1 || (long)h * w <= Steps.CheckKpuLimits.MaxMainOutputPlane)
        {
            return 0;
        }

        int k = RowBlockView.Factor(Math.Max(weights.InChannels, weights.OutChannels), h, w);
        if (k < 2)
        {
            return 0;
        }

        var probe = new K210Tensor("row blocks", K210ElementType.UInt8, K210MemoryKind.Kpu, weights.InChannels * k, h / k, w);
        var plan = SplitKpuConv.Plan(Blocks(weights, k), probe, h / k, w, ctx.Options.WeightBits, out _);
        return plan is { Count: 1, Tiled: false } ? k : 0;
    }

    /// <summary>Adds the layer; returns it and its output seen as the [OC, H, W] map.</summary>
    public (KpuConvLayer Layer, K210Tensor Map) Lower(LoweringContext ctx, string name, K210Tensor input, KpuConvWeights w, KpuActivationFunction activation,
        int k, Ir.Value rangeSource, Ir.Value? inputValue)
    {
        ctx.Passes.Record(this);
        int h = input.Height / k;
        var blocks = RowBlockView.Reshaped(ctx, input, w.InChannels * k, h, ".rows");
        var written = ctx.NewTensor(rangeSource.Name + ".rows", K210ElementType.UInt8, K210MemoryKind.Kpu, w.OutChannels * k, h, input.Width);
        written.RangeSource = rangeSource;
        written.RangeChannels = [.. Enumerable.Range(0, w.OutChannels * k).Select(i => i / k)];
        var layer = ctx.Add(new KpuConvLayer(name, blocks, written, Blocks(w, k), activation, KpuPoolType.Bypass)
        {
            InputValue = inputValue,
            InputChannelSources = [.. Enumerable.Range(0, w.InChannels * k).Select(i => i / k)],
            Tiling = $"{k} row blocks per channel ([{w.OutChannels * k}, {h}, {input.Width}] for [{w.OutChannels}, {input.Height}, {input.Width}])",
        });
        return (layer, RowBlockView.Reshaped(ctx, written, w.OutChannels, input.Height, ".map"));
    }

    /// <summary>W ⊗ I_k: channel o·k + j reads channels i·k + j (a depthwise conv stays depthwise, each weight repeated).</summary>
    private static KpuConvWeights Blocks(KpuConvWeights w, int k)
    {
        int ic = w.InChannels * k, oc = w.OutChannels * k;
        var bias = Enumerable.Range(0, oc).Select(o => w.Bias[o / k]).ToArray();
        if (w.Depthwise)
        {
            return new KpuConvWeights(ic, oc, 1, true, [.. Enumerable.Range(0, oc).Select(o => w.Weights[o / k])], bias);
        }

        var weights = new float[oc * ic];
        for (int o = 0; o < oc; o++)
        {
            for (int i = o % k; i < ic; i += k)
            {
                weights[(o * ic) + i] = w.Weights[((o / k) * w.InChannels) + (i / k)];
            }
        }

        return new KpuConvWeights(ic, oc, 1, false, weights, bias);
    }
}
