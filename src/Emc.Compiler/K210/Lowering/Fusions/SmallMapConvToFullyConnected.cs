using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A conv on a map below the KPU's 4×4 minimum (YuNet's and openWakeWord's deepest layers) → float FULLY_CONNECTED,
/// exact: a conv is a linear map of the planar input, so each group becomes one FC whose [out][in] weights hold every
/// kernel tap at the input pixel it reads (pads read nothing; any kernel, stride, dilation). The groups' FCs read and
/// write channel ranges of one planar buffer (views), so a depthwise conv costs C tiny layers instead of one dense one.
/// Fused BN / bias, then Relu or Clip(0, 6) as the FC activation.
/// </summary>
internal sealed class SmallMapConvToFullyConnected : IPass
{
    public static readonly SmallMapConvToFullyConnected Instance = new();

    /// <summary>Float weights over all groups (4 MiB): beyond that the device's 6 MiB cannot hold the model anyway.</summary>
    private const long MaxWeights = 1L << 20;

    public string Name => "small-map-conv-to-fully-connected";

    public string Summary => "a conv on a map below the KPU's 4×4 minimum → float FULLY_CONNECTED per group, weights placing each tap at the pixel it reads";

    /// <summary>Whether the FCs stay within <see cref="MaxWeights"/> (or, for a 1×1 conv, the KPU path takes it).</summary>
    public static bool Fits(ConvParameters p)
    {
        var g = p.Geometry;
        return g.IsPointwise || (long)g.Group * g.InputChannelsPerGroup * g.InputPlane * g.OutputChannelsPerGroup * g.OutputPlane <= MaxWeights;
    }

    public bool TryLower(LoweringContext ctx, Node conv, ConvParameters p)
    {
        var g = p.Geometry;
        int groups = g.Group, icg = g.InputChannelsPerGroup, ocg = g.OutputChannelsPerGroup;
        if (conv.Inputs[1]?.Constant is null || (conv.Inputs.Count > 2 && conv.Inputs[2] is { Constant: null })
            || (long)groups * icg * g.InputPlane * ocg * g.OutputPlane > MaxWeights)
        {
            return false;
        }

        int oc = g.OutputChannels, kh = g.KernelHeight, kw = g.KernelWidth, taps = icg * kh * kw;
        var w = conv.Inputs[1]!.Constant!.ToFloatArray();
        var b = conv.Inputs.Count > 2 && conv.Inputs[2]?.Constant is { } bc ? bc.ToFloatArray() : new float[oc];
        ctx.Passes.Record(this);
        var output = LinearFollowers.Fold(ctx, conv.Outputs[0], new LinearWeights(w, b, taps));
        var (final, activation) = FuseActivationIntoFullyConnected.Instance.Apply(ctx, output);
        var input = ctx.GetFloat(conv.Inputs[0]!, conv);
        if (input is null)
        {
            ctx.Slot(final).Failed = true;
            return true;
        }

        var result = ctx.NewTensor(final.Name, K210ElementType.Float32, K210MemoryKind.Main, oc, g.OutputHeight, g.OutputWidth);
        for (int group = 0; group < groups; group++)
        {
            var source = groups == 1 ? input : View(ctx, input, group * icg, icg, g.InputHeight, g.InputWidth);
            var target = groups == 1 ? result : View(ctx, result, group * ocg, ocg, g.OutputHeight, g.OutputWidth);
            var (weights, bias) = GroupMatrix(g, w, b, group);
            ctx.Add(new FullyConnectedLayer(conv.Name, source, target, weights, bias, activation));
        }

        ctx.Slot(final).Float = result;
        return true;
    }

    /// <summary>Channels [first, first + count) of a planar float buffer.</summary>
    private static K210Tensor View(LoweringContext ctx, K210Tensor whole, int first, int count, int h, int w)
    {
        var view = ctx.NewTensor(whole.Name + ".group", K210ElementType.Float32, K210MemoryKind.Main, count, h, w);
        view.AliasOf = whole;
        view.AliasOffset = (long)first * h * w * whole.ElementSize;
        return view;
    }

    /// <summary>Row (o, oy, ox) of one group: w[o][c][ky][kx] at column (c, iy, ix) for every tap inside the input.</summary>
    private static (float[] Weights, float[] Bias) GroupMatrix(Evaluation.Kernels.Conv2DGeometry g, float[] w, float[] b, int group)
    {
        int icg = g.InputChannelsPerGroup, ocg = g.OutputChannelsPerGroup, kh = g.KernelHeight, kw = g.KernelWidth;
        int ih = g.InputHeight, iw = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth;
        int columns = icg * ih * iw;
        var weights = new float[(long)ocg * oh * ow * columns];
        var bias = new float[ocg * oh * ow];
        for (int o = 0; o < ocg; o++)
        {
            int channel = (group * ocg) + o;
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    int row = (((o * oh) + oy) * ow) + ox;
                    bias[row] = b[channel];
                    for (int c = 0; c < icg; c++)
                    {
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int iy = (oy * g.StrideHeight) - g.PadTop + (ky * g.DilationHeight);
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ix = (ox * g.StrideWidth) - g.PadLeft + (kx * g.DilationWidth);
                                if (iy >= 0 && iy < ih && ix >= 0 && ix < iw)
                                {
                                    weights[((long)row * columns) + (((c * ih) + iy) * iw) + ix] += w[(((((channel * icg) + c) * kh) + ky) * kw) + kx];
                                }
                            }
                        }
                    }
                }
            }
        }

        return (weights, bias);
    }
}
