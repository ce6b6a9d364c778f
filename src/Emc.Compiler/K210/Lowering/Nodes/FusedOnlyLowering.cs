using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Ops kmodel v3 runs only fused into the layer before them; reaching the driver means that fusion failed.</summary>
internal sealed class FusedOnlyLowering : INodeLowering
{
    public static readonly FusedOnlyLowering Instance = new();

    public string Name => "fused-only";

    public string Summary => "Relu, Clip, LeakyRelu, PRelu and BatchNormalization are realised only by a fusion into the layer before them";

    public IReadOnlyList<string> OpTypes { get; } = ["Relu", "Clip", "LeakyRelu", "PRelu", "BatchNormalization"];

    public void Lower(LoweringContext ctx, Node node) =>
        ctx.Error(CompilerDiagnostics.UnsupportedOperator, node,
            "kmodel v3 has no CPU layer for it; it is only supported fused into a preceding Conv whose only consumer it is");
}
