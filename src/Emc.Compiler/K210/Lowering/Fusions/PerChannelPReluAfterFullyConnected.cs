using Emc.Compiler.Ir;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A per-channel PRelu between float FULLY_CONNECTED layers (MTCNN's R/O-Net heads). kmodel v3 has no CPU PRelu, but
/// FULLY_CONNECTED has a ReLU, and PRelu(z) = relu(z) − a·relu(−z) for any slope a. So the producer computes
/// [relu(z); relu(−z)] with weights [W; −W] and bias [b; −b], and every consumer (all must be products with constant
/// weights) reads the pair with weights [V, −V·diag(a)]. Exact in float; no extra layer, twice the producer's outputs.
/// </summary>
internal sealed class PerChannelPReluAfterFullyConnected : IPass
{
    public static readonly PerChannelPReluAfterFullyConnected Instance = new();

    public string Name => "per-channel-prelu-after-fully-connected";

    public string Summary => "a per-channel PRelu after a float FULLY_CONNECTED: the layer outputs relu(z) and relu(−z), its consumers weigh them by 1 and −a";

    /// <summary>
    /// When the sole consumer of <paramref name="output"/> (n values) is a PRelu whose consumers are all constant-weight
    /// products, consumes it and returns its output, the slopes and the doubled weights and bias.
    /// </summary>
    public (Value Output, float[] Slopes, float[] Weights, float[] Bias)? TryApply(LoweringContext ctx, Value output, float[] weights, float[] bias, int n, int k)
    {
        if (ctx.SoleConsumer(output) is not { OpType: "PRelu" } prelu || prelu.Inputs.Count < 2 || prelu.Inputs[1]?.Constant is not { } slope)
        {
            return null;
        }

        if (output.Shape is not { } shape || ChannelAffine.PerChannel(slope, shape, n) is not { } slopes || !slopes.All(float.IsFinite)
            || ctx.Graph.Outputs.Contains(prelu.Outputs[0]) || prelu.Outputs[0].Consumers.Count == 0
            || !prelu.Outputs[0].Consumers.All(c => IsProduct(c, prelu.Outputs[0], n)))
        {
            return null;
        }

        ctx.Passes.Record(this);
        ctx.Consume(prelu);
        var doubledWeights = new float[2 * n * k];
        var doubledBias = new float[2 * n];
        for (int i = 0; i < n * k; i++)
        {
            doubledWeights[i] = weights[i];
            doubledWeights[(n * k) + i] = -weights[i];
        }

        for (int o = 0; o < n; o++)
        {
            doubledBias[o] = bias[o];
            doubledBias[n + o] = -bias[o];
        }

        return (prelu.Outputs[0], slopes, doubledWeights, doubledBias);
    }

    /// <summary>A consumer's [out][in] weights for the pair: [V, −V·diag(a)].</summary>
    public static float[] ConsumerWeights(float[] rows, float[] slopes, int outputs)
    {
        int n = slopes.Length;
        var result = new float[outputs * 2 * n];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < n; i++)
            {
                float v = rows[(o * n) + i];
                result[(o * 2 * n) + i] = v;
                result[(o * 2 * n) + n + i] = -slopes[i] * v;
            }
        }

        return result;
    }

    private static bool IsProduct(Node node, Value input, int n) =>
        node.Inputs.Count > 0 && node.Inputs[0] == input && node.Inputs.Skip(1).All(v => v != input) && node.Parameters switch
        {
            GemmParameters g => !g.TransA && g.M == 1 && g.K == n && node.Inputs[1]?.Constant is not null && (!g.HasC || node.Inputs[2]?.Constant is not null),
            MatMulParameters m => m.M == 1 && m.K == n && node.Inputs[1]?.Constant is { Shape.Rank: 2 },
            _ => false,
        };
}
