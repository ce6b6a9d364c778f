using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Transpose of planar data, exactly: a permutation that keeps row-major order (moves only size-1 axes) is an
/// alias; one that swaps two blocks of axes is a (QUANTIZED_)TENSORFLOW_FLATTEN; any other reorder that moves
/// whole runs of elements (a channel shuffle moves whole H×W planes) is one concat of views; the rest is rejected.
/// Graph-input layout transposes (NHWC inputs) are folded earlier by <c>fold-input-layout</c>.
/// </summary>
internal sealed class TransposeLowering : INodeLowering
{
    public static readonly TransposeLowering Instance = new();

    public string Name => "lower-transpose";

    public string Summary => "Transpose → an alias (order kept), TENSORFLOW_FLATTEN (two blocks swapped, e.g. NCHW→NHWC) or a concat of views (channel shuffle)";

    public IReadOnlyList<string> OpTypes { get; } = ["Transpose"];

    public IReadOnlyList<IPass> Rewrites { get; } = [AliasOrderKeepingTranspose.Instance, TransposeAsTensorflowFlatten.Instance, GatherRunsByConcat.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        var movement = Movement(node);
        if (movement.KeepsOrder)
        {
            AliasOrderKeepingTranspose.Instance.Apply(ctx, node);
        }
        else if (movement.IsBlockSwap)
        {
            TransposeAsTensorflowFlatten.Instance.Apply(ctx, node, movement);
        }
        else
        {
            SelectionRealisation.Realise(ctx, node, 0, SelectionMaps.Of(node, 0)!, Describe(node));
        }
    }

    public void ReportOwnProblems(LoweringContext ctx, Node node)
    {
        var movement = Movement(node);
        long runs = movement.KeepsOrder || movement.IsBlockSwap ? 0 : ElementRuns.Of(SelectionMaps.Of(node, 0)!).Count;
        if (runs > GatherRunsByConcat.MaxRuns)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, string.Create(CultureInfo.InvariantCulture,
                $"{Describe(node)} copies {runs} separate runs of elements; one (QUANTIZED_)CONCAT of views copies at most {GatherRunsByConcat.MaxRuns} runs"));
        }
    }

    private static TransposeMovement Movement(Node node) =>
        TransposeMovement.Of(node.Inputs[0]!.Shape!.ToArray(), ((TransposeParameters)node.Parameters!).Perm);

    private static string Describe(Node node) => string.Create(CultureInfo.InvariantCulture,
        $"perm [{string.Join(",", ((TransposeParameters)node.Parameters!).Perm)}] of {node.Inputs[0]!.Shape}");
}
