using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>Runs the linear follower fusions after a conv/FC output until none matches.</summary>
internal static class LinearFollowers
{
    /// <summary>In the order tried at each step.</summary>
    public static IReadOnlyList<ILinearFollowerFusion> Fusions { get; } = [FoldBatchNorm.Instance, FoldBiasAdd.Instance, FoldChannelAffine.Instance];

    /// <summary>Folds every matching sole consumer in turn; returns the last fused value.</summary>
    public static Value Fold(LoweringContext ctx, Value output, LinearWeights target)
    {
        var current = output;
        while (ctx.SoleConsumer(current) is { } next && Fusions.FirstOrDefault(f => f.TryFold(next, current, target)) is { } applied)
        {
            ctx.Passes.Record(applied);
            ctx.Consume(next);
            current = next.Outputs[0];
        }

        return current;
    }
}
