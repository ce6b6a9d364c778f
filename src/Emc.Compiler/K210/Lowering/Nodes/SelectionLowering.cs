using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Slice, Split and Gather with constant indices select elements of planar data exactly: one run of consecutive
/// elements (a channel range of a map) is a view at an offset; a row/column-strided Slice of uint8 data a 1×1 pick;
/// any other selection one (QUANTIZED_)CONCAT of views.
/// </summary>
internal sealed class SelectionLowering : INodeLowering
{
    public static readonly SelectionLowering Instance = new();

    public string Name => "lower-selection";

    public string Summary => "Slice / Split / Gather (constant indices) → views at offsets or a concat of views";

    public IReadOnlyList<string> OpTypes { get; } = ["Slice", "Split", "Gather"];

    public IReadOnlyList<IPass> Rewrites { get; } = [StrideTwoSliceByKpuPool.Instance, ViewElementRange.Instance, SliceAsPick.Instance, GatherRunsByConcat.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        if (!SelectionIsConstant(ctx, node) || StrideTwoSliceByKpuPool.Instance.TryLower(ctx, node))
        {
            return;
        }

        for (int i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i].Consumers.Count == 0 && !ctx.Graph.Outputs.Contains(node.Outputs[i]))
            {
                continue; // an unused Split output needs no copy
            }

            if (!SelectionRealisation.Realise(ctx, node, i, SelectionMaps.Of(node, i)!, $"{node.OpType}"))
            {
                return;
            }
        }
    }

    public void ReportOwnProblems(LoweringContext ctx, Node node)
    {
        if (!SelectionIsConstant(ctx, node) || SliceAsPick.Geometry(node) is not null)
        {
            return; // a pick has no run limit when the data turns out uint8
        }

        for (int i = 0; i < node.Outputs.Count; i++)
        {
            int runs = ElementRuns.Of(SelectionMaps.Of(node, i)!).Count;
            if (runs > GatherRunsByConcat.MaxRuns)
            {
                ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, string.Create(CultureInfo.InvariantCulture,
                    $"{node.OpType} copies {runs} separate runs of elements into '{node.Outputs[i].Name}'; one (QUANTIZED_)CONCAT of views copies at most {GatherRunsByConcat.MaxRuns} runs"));
                return;
            }
        }
    }

    private static bool SelectionIsConstant(LoweringContext ctx, Node node)
    {
        if (SelectionMaps.Of(node, 0) is not null)
        {
            return true;
        }

        ctx.Error(CompilerDiagnostics.UnsupportedPattern, node,
            "the selected indices are not constant; kmodel v3 realises Gather only as a fixed copy of planar data");
        return false;
    }
}
