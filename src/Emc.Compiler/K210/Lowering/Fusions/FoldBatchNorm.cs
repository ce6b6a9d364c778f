using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>BatchNormalization (inference, constant statistics) after a conv/FC → scaled weights and shifted bias.</summary>
internal sealed class FoldBatchNorm : ILinearFollowerFusion
{
    public static readonly FoldBatchNorm Instance = new();

    public string Name => "fold-batch-norm";

    public string Summary => "BatchNormalization with constant statistics after a conv/FC folds into its weights and bias";

    public bool TryFold(Node follower, Value current, LinearWeights target)
    {
        if (follower.OpType != "BatchNormalization" || follower.Parameters is not BatchNormParameters p || follower.Inputs.Count < 5)
        {
            return false;
        }

        var (weights, bias, perOutput) = target;
        var arrays = new float[4][];
        for (int i = 0; i < 4; i++)
        {
            if (follower.Inputs[i + 1]?.Constant is not { } c || c.ElementCount != bias.Length)
            {
                return false;
            }

            arrays[i] = c.ToFloatArray();
        }

        var (scale, beta, mean, variance) = (arrays[0], arrays[1], arrays[2], arrays[3]);
        for (int o = 0; o < bias.Length; o++)
        {
            double f = scale[o] / Math.Sqrt(variance[o] + (double)p.Epsilon);
            for (int i = 0; i < perOutput; i++)
            {
                weights[(o * perOutput) + i] = (float)(weights[(o * perOutput) + i] * f);
            }

            bias[o] = (float)(((bias[o] - mean[o]) * f) + beta[o]);
        }

        return true;
    }
}
