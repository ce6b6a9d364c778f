using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering;

/// <summary>The constant bounds of a Clip node.</summary>
internal static class ClipRange
{
    /// <summary>Bounds from attributes (opset &lt; 11) or constant inputs; null when an input is computed at run time.</summary>
    public static (float Min, float Max)? Of(Node clip)
    {
        if (clip.Parameters is ClipParameters { FromAttributes: true } p)
        {
            return (p.Min, p.Max);
        }

        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (clip.Inputs.Count > 1 && clip.Inputs[1] is { } lo)
        {
            if (lo.Constant is null)
            {
                return null;
            }

            min = lo.Constant.ToFloatArray()[0];
        }

        if (clip.Inputs.Count > 2 && clip.Inputs[2] is { } hi)
        {
            if (hi.Constant is null)
            {
                return null;
            }

            max = hi.Constant.ToFloatArray()[0];
        }

        return (min, max);
    }

    /// <summary>Relu, or a Clip whose constant range contains 0: what a calibrated uint8 output range's clamp realises.</summary>
    public static bool IsClampThroughZero(Node node) =>
        node.OpType == "Relu" || (node.OpType == "Clip" && Of(node) is { } b && b.Min <= 0 && b.Max >= 0);

    /// <summary>What the producer's output range clamp stands for: a Relu, a Clip with its bounds, or nothing.</summary>
    public static string ClampClass(Value v) => v.Producer switch
    {
        { OpType: "Relu" } => "relu",
        { OpType: "Clip" } clip => Of(clip) is { } b ? $"clip({b.Min},{b.Max})" : "clip",
        _ => "none",
    };
}
