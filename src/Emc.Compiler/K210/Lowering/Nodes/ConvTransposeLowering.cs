using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Rewrites;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// A ConvTranspose still in the graph at lowering is one <see cref="ConvTransposeAsPhaseConv"/> (the map-size-rewrites
/// stage) did not take: reported with the reason (EMC0502), naming the node. In a partially imported graph (checked
/// without the rewrites) one the rewrite would take is not reported; its consumers are not checked.
/// </summary>
internal sealed class ConvTransposeLowering : INodeLowering
{
    public static readonly ConvTransposeLowering Instance = new();

    public string Name => "lower-conv-transpose";

    public string Summary => "ConvTranspose the phase rewrite did not take → EMC0502 with the reason";

    public IReadOnlyList<string> OpTypes { get; } = ["ConvTranspose"];

    public void Lower(LoweringContext ctx, Node node)
    {
        ReportOwnProblems(ctx, node);
        foreach (var output in node.Outputs)
        {
            ctx.Slot(output).Failed = true;
        }
    }

    public void ReportOwnProblems(LoweringContext ctx, Node node)
    {
        if (ConvTransposeAsPhaseConv.WhyNot(node, ctx.Graph.OpsetVersion) is { } why)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedConv, node, "a transposed convolution runs as one KPU conv per output phase (stride s: s² phases) interleaved by depth-to-space; " + why);
        }
    }
}
