using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>BatchNormalization runs only folded into the conv or FC before it; reaching the driver means that fold failed.</summary>
internal sealed class FusedOnlyLowering : INodeLowering
{
    public static readonly FusedOnlyLowering Instance = new();

    public string Name => "fused-only";

    public string Summary => "BatchNormalization is realised only folded into the conv or FC before it (per-channel scales are no one table)";

    public IReadOnlyList<string> OpTypes { get; } = ["BatchNormalization"];

    public void Lower(LoweringContext ctx, Node node) =>
        ctx.Error(CompilerDiagnostics.UnsupportedOperator, node,
            "kmodel v3 has no CPU layer for it; it is only supported folded into a preceding Conv or Gemm whose only consumer it is");
}
