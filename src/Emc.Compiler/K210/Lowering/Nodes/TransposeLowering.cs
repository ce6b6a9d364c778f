using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Transpose of planar data, exactly: a permutation that keeps row-major order (moves only size-1 axes) is an
/// alias; one that swaps two blocks of axes is a (QUANTIZED_)TENSORFLOW_FLATTEN; any other reorder is rejected.
/// Graph-input layout transposes (NHWC inputs) are folded earlier by <c>fold-input-layout</c>.
/// </summary>
internal sealed class TransposeLowering : INodeLowering
{
    public static readonly TransposeLowering Instance = new();

    public string Name => "lower-transpose";

    public string Summary => "Transpose → an alias (order kept) or TENSORFLOW_FLATTEN (two blocks swapped, e.g. NCHW→NHWC)";

    public IReadOnlyList<string> OpTypes { get; } = ["Transpose"];

    public IReadOnlyList<IPass> Rewrites { get; } = [AliasOrderKeepingTranspose.Instance, TransposeAsTensorflowFlatten.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        if (Movement(ctx, node) is not { } movement)
        {
            return;
        }

        if (movement.KeepsOrder)
        {
            AliasOrderKeepingTranspose.Instance.Apply(ctx, node);
        }
        else
        {
            TransposeAsTensorflowFlatten.Instance.Apply(ctx, node, movement);
        }
    }

    public void ReportOwnProblems(LoweringContext ctx, Node node) => Movement(ctx, node);

    /// <summary>The data movement of the node, or null after a diagnostic when no kmodel v3 layer does it.</summary>
    private static TransposeMovement? Movement(LoweringContext ctx, Node node)
    {
        var perm = ((TransposeParameters)node.Parameters!).Perm;
        var shape = node.Inputs[0]!.Shape!;
        var movement = TransposeMovement.Of(shape.ToArray(), perm);
        if (movement.KeepsOrder || movement.IsBlockSwap)
        {
            return movement;
        }

        ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, string.Create(CultureInfo.InvariantCulture,
            $"perm [{string.Join(",", perm)}] of {shape} reorders {movement.BlockCount} blocks of axes; kmodel v3 realises only transposes that move size-1 axes (an alias) or swap two blocks of axes (TENSORFLOW_FLATTEN, CHW→HWC)"));
        return null;
    }
}
