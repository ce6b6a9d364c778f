using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>Add of a per-channel ([C,1,1], [1,C,1,1]) or scalar constant after a conv → bias.</summary>
internal sealed class FoldBiasAdd : ILinearFollowerFusion
{
    public static readonly FoldBiasAdd Instance = new();

    public string Name => "fold-bias-add";

    public string Summary => "Add of a per-channel or scalar constant after a conv folds into its bias";

    public bool TryFold(Node follower, Value current, LinearWeights target)
    {
        if (follower.OpType != "Add")
        {
            return false;
        }

        var other = follower.Inputs[0] == current ? follower.Inputs[1] : follower.Inputs[0];
        if (other?.Constant is not { } c || follower.Outputs[0].Shape is null || current.Shape is null || !follower.Outputs[0].Shape!.Equals(current.Shape))
        {
            return false;
        }

        int oc = target.OutChannels;
        var dims = c.Shape.Dims.ToArray();
        // Per channel under numpy broadcasting against [1,C,H,W]: [C,1,1] or [1,C,1,1]; or a scalar.
        bool perChannel = (dims.Length == 3 && dims[0] == oc && dims[1] == 1 && dims[2] == 1)
            || (dims.Length == 4 && dims[0] == 1 && dims[1] == oc && dims[2] == 1 && dims[3] == 1);
        bool scalar = c.ElementCount == 1;
        if (!perChannel && !scalar)
        {
            return false;
        }

        var values = c.ToFloatArray();
        for (int o = 0; o < oc; o++)
        {
            target.Bias[o] += scalar ? values[0] : values[o];
        }

        return true;
    }
}
