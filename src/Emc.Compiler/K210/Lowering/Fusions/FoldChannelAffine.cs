using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Mul, Div or Sub (and Add, which <see cref="FoldBiasAdd"/> takes first after a conv) by a per-channel or scalar
/// constant after a conv or FC → its weights and bias (issue 16 item 2).
/// </summary>
internal sealed class FoldChannelAffine : ILinearFollowerFusion
{
    public static readonly FoldChannelAffine Instance = new();

    public string Name => "fold-channel-affine";

    public string Summary => "Mul, Div or Sub by a per-channel or scalar constant after a conv or FC folds into its weights and bias";

    public bool TryFold(Node follower, Value current, LinearWeights target)
    {
        if (ChannelAffine.Of(follower, current, target.OutChannels) is not ({ } scale, { } shift))
        {
            return false;
        }

        for (int o = 0; o < target.OutChannels; o++)
        {
            for (int i = 0; i < target.PerOutput; i++)
            {
                target.Weights[(o * target.PerOutput) + i] *= scale[o];
            }

            target.Bias[o] = (target.Bias[o] * scale[o]) + shift[o];
        }

        return true;
    }
}
