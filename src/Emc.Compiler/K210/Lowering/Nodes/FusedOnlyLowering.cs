using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>BatchNormalization that no conv or FC before it absorbed: a depthwise 1×1 KPU conv, else an error.</summary>
internal sealed class FusedOnlyLowering : INodeLowering
{
    public static readonly FusedOnlyLowering Instance = new();

    public string Name => "fused-only";

    public string Summary => "BatchNormalization not folded into the conv or FC before it → a depthwise 1×1 KPU conv (per-channel scales are no one table)";

    public IReadOnlyList<string> OpTypes { get; } = ["BatchNormalization"];

    public IReadOnlyList<Passes.IPass> Rewrites { get; } = [Fusions.PerChannelAffineAsDepthwiseConv.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        if (!Fusions.PerChannelAffineAsDepthwiseConv.Instance.TryLower(ctx, node))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedOperator, node,
                "kmodel v3 has no CPU layer for it; it is realised folded into a preceding Conv or Gemm whose only consumer it is, or as a depthwise 1×1 KPU conv on a map of at least 4×4");
        }
    }
}
