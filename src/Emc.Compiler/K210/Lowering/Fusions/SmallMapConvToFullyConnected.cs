using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A 1×1 stride-1 conv on a map below the KPU's 4×4 minimum → FULLY_CONNECTED (float, exact) with weights
/// W ⊗ I: <c>out[o·P + p] = Σ_c W[o][c]·in[c·P + p] + b[o]</c> over the P = H·W pixels (planar layout is kept).
/// Fused BN / bias, then Relu or Clip(0, 6) as the FC activation.
/// </summary>
internal sealed class SmallMapConvToFullyConnected : IPass
{
    public static readonly SmallMapConvToFullyConnected Instance = new();

    private const long MaxWeights = 1L << 22;

    public string Name => "small-map-conv-to-fully-connected";

    public string Summary => "a 1×1 stride-1 conv on a map below the KPU's 4×4 minimum → float FULLY_CONNECTED with W ⊗ I weights";

    public bool TryLower(LoweringContext ctx, Node conv, ConvParameters p)
    {
        var g = p.Geometry;
        int pixels = g.InputHeight * g.InputWidth;
        if (g.KernelHeight != 1 || g.KernelWidth != 1 || g.StrideHeight != 1 || g.StrideWidth != 1 || g.Group != 1
            || g.PadTop + g.PadLeft + p.PadBottom + p.PadRight != 0 || conv.Inputs[1]?.Constant is null
            || (long)g.InputChannels * g.OutputChannels * pixels * pixels > MaxWeights)
        {
            return false;
        }

        int ic = g.InputChannels, oc = g.OutputChannels;
        var w = conv.Inputs[1]!.Constant!.ToFloatArray();
        var b = conv.Inputs.Count > 2 && conv.Inputs[2]?.Constant is { } bc ? bc.ToFloatArray() : new float[oc];
        ctx.Passes.Record(this);
        var output = LinearFollowers.Fold(ctx, conv.Outputs[0], new LinearWeights(w, b, ic));
        var (final, activation) = FuseActivationIntoFullyConnected.Instance.Apply(ctx, output);
        var input = ctx.GetFloat(conv.Inputs[0]!, conv);
        if (input is null)
        {
            ctx.Slot(final).Failed = true;
            return true;
        }

        int inLength = ic * pixels, outLength = oc * pixels;
        var weights = new float[(long)inLength * outLength];
        var bias = new float[outLength];
        for (int o = 0; o < oc; o++)
        {
            for (int px = 0; px < pixels; px++)
            {
                int row = (o * pixels) + px;
                bias[row] = b[o];
                for (int c = 0; c < ic; c++)
                {
                    weights[((long)row * inLength) + (c * pixels) + px] = w[(o * ic) + c];
                }
            }
        }

        var result = ctx.NewTensor(final.Name, K210ElementType.Float32, K210MemoryKind.Main, oc, g.OutputHeight, g.OutputWidth);
        ctx.Add(new FullyConnectedLayer(conv.Name, input, result, weights, bias, activation));
        ctx.Slot(final).Float = result;
        return true;
    }
}
