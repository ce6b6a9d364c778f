using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A 1×1 conv on a map below the KPU's 4×4 minimum (YuNet's 3×5 and 1×2 levels). A pointwise conv commutes with a
/// nearest upsampling, so the map is repeated f×f times (uint8 RESIZE_NEAREST_NEIGHBOR, then an upload) until both
/// sides reach 4, the KPU convolves the big map with the usual 8-bit weights, and consumers read every f-th pixel (a
/// pending sample, picked on the CPU when read). A following 1×1 conv reads the repeated map directly. Exact up to the
/// usual uint8 quantization; taken when the float FULLY_CONNECTED alternative wastes weights (W ⊗ I over P &gt; 1 pixels)
/// and would need more than 2^16 of them ((C·P)² for C channels: 3.7 MB for YuNet's 64 channels at 3×5).
/// </summary>
internal sealed class PointwiseConvOnUpsampledMap : IPass
{
    public static readonly PointwiseConvOnUpsampledMap Instance = new();

    /// <summary>Up to this many float weights (256 KiB) the float FULLY_CONNECTED is kept: exact, and not worth a KPU layer.</summary>
    private const long SmallFullyConnected = 1L << 16;

    public string Name => "pointwise-conv-on-upsampled-map";

    public string Summary => "a 1×1 conv on a map below 4×4: the map repeated f×f (uint8 nearest resize), the KPU conv at ≥ 4×4, consumers read every f-th pixel";

    public bool TryLower(LoweringContext ctx, Node conv, ConvParameters p)
    {
        var g = p.Geometry;
        if (!g.IsPointwise || g.Group != 1 || p.PadBottom != 0 || p.PadRight != 0 || conv.Inputs[1]?.Constant is null
            || (conv.Inputs.Count > 2 && conv.Inputs[2] is { Constant: null }) || g.InputChannels > ConvLowering.MaxChannels)
        {
            return false;
        }

        int h = g.InputHeight, w = g.InputWidth, ic = g.InputChannels, oc = g.OutputChannels;
        if (h * w == 1 || (long)ic * h * w * oc * h * w <= SmallFullyConnected)
        {
            return false; // a classifier on a 1×1 map, or small enough: the exact float FULLY_CONNECTED (SmallMapConvToFullyConnected)
        }

        int f = (ConvLowering.MinSize + Math.Min(h, w) - 1) / Math.Min(h, w);
        var x = conv.Inputs[0]!;
        var inSlot = ctx.Slot(x);
        bool reuse = inSlot is { Kpu: { } repeated, Sample: { Replicated: true } pending } && pending.Stride == f && repeated.Height == f * h && repeated.Width == f * w;
        if (f * h > ConvLowering.MaxHeight || f * w > ConvLowering.MaxWidth)
        {
            return false;
        }

        var weights = conv.Inputs[1]!.Constant!.ToFloatArray();
        var bias = conv.Inputs.Count > 2 && conv.Inputs[2]?.Constant is { } bc ? bc.ToFloatArray() : new float[oc];
        var convWeights = new KpuConvWeights(ic, oc, 1, false, weights, bias);
        var probe = ctx.NewTensor(x.Name + ".up", K210ElementType.UInt8, K210MemoryKind.Kpu, ic, f * h, f * w);
        if (SplitKpuConv.Plan(convWeights, probe, f * h, f * w, ctx.Options.WeightBits, out _) is not { Count: 1, Tiled: false })
        {
            return false;
        }

        ctx.Passes.Record(this);
        var linear = LinearFollowers.Fold(ctx, conv.Outputs[0], new LinearWeights(weights, bias, ic));
        var (output, activation) = FuseActivationIntoKpuConv.Instance.Apply(ctx, linear, KpuActivationFunction.Linear);
        K210Tensor input;
        if (reuse)
        {
            input = inSlot.Kpu!;
        }
        else
        {
            var main = ctx.GetMainU8(x, conv);
            if (main is null)
            {
                ctx.Slot(output).Failed = true;
                return true;
            }

            var up = ctx.NewTensor(x.Name + ".up", K210ElementType.UInt8, K210MemoryKind.Main, ic, f * h, f * w);
            up.QuantFrom = main;
            ctx.Add(new ResizeNearestLayer(conv.Name, main, up));
            input = probe;
            input.QuantFrom = up;
            ctx.Add(new UploadLayer(conv.Name, up, input));
        }

        var result = ctx.NewTensor(output.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, oc, f * h, f * w);
        result.RangeSource = output;
        result.Sampling = new MapSampling(0, 0, f);
        var layer = ctx.Add(new KpuConvLayer(conv.Name, input, result, convWeights, activation, KpuPoolType.Bypass) { InputValue = x });
        var slot = ctx.Slot(output);
        slot.Kpu = result;
        slot.KpuProducer = layer;
        slot.Sample = new PendingSample(0, 0, f, h, w, Replicated: true);
        return true;
    }
}
