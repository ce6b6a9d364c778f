using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A per-channel affine map that no conv before it can absorb — BatchNormalization after a ReLU (burn-mnist), or a Mul,
/// Add, Sub or Div by a per-channel constant after an Add or a pool — becomes a depthwise 1×1 KPU conv with weight a_c
/// and bias b_c (y = a_c·x + b_c), followed by what folds into a conv (more affine maps, an activation). Exact up to
/// the uint8 rounding of its output.
/// </summary>
internal sealed class PerChannelAffineAsDepthwiseConv : IPass
{
    public static readonly PerChannelAffineAsDepthwiseConv Instance = new();

    public string Name => "per-channel-affine-as-depthwise-conv";

    public string Summary => "BatchNormalization or a per-channel constant Mul/Add/Sub/Div that no conv absorbs → a depthwise 1×1 KPU conv";

    /// <summary>False (no diagnostic) when the node is not such a map or its input is not a KPU-sized planar map.</summary>
    public bool TryLower(LoweringContext ctx, Node node)
    {
        var x = node.Inputs.Count > 0 ? node.Inputs[0] : null;
        if (node.OpType != "BatchNormalization" && node.Inputs.Count == 2 && node.Inputs[0]?.Constant is not null)
        {
            x = node.Inputs[1]; // k + x, k·x, k − x
        }

        if (x is not { Constant: null, Shape: { Rank: 4 } shape } || shape[0] != 1 || !node.Outputs[0].Shape!.Equals(shape))
        {
            return false;
        }

        int c = shape[1], h = shape[2], w = shape[3];
        if (!ConvLowering.FitsKpuMap(c, h, w))
        {
            return false;
        }

        var weights = new float[c];
        Array.Fill(weights, 1);
        var target = new LinearWeights(weights, new float[c], 1);
        var fold = node.OpType == "BatchNormalization" ? FoldBatchNorm.Instance : (ILinearFollowerFusion)FoldChannelAffine.Instance;
        if (!fold.TryFold(node, x, target))
        {
            return false;
        }

        var input = ctx.GetKpu(x, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return true;
        }

        ctx.Passes.Record(this);
        var linear = LinearFollowers.Fold(ctx, node.Outputs[0], target);
        var (output, activation) = FuseActivationIntoKpuConv.Instance.Apply(ctx, linear, KpuActivationFunction.Linear);
        var result = ctx.NewTensor(output.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, c, h, w);
        result.RangeSource = output;
        var layer = ctx.Add(new KpuConvLayer(node.Name, input, result, new KpuConvWeights(c, c, 1, true, target.Weights, target.Bias), activation, KpuPoolType.Bypass)
        {
            InputValue = x,
        });
        var slot = ctx.Slot(output);
        slot.Kpu = result;
        slot.KpuProducer = layer;
        return true;
    }
}
