using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A Transpose that moves only size-1 axes (e.g. (0,2,3,1) of a [1,1,H,W] or [1,C,1,1] tensor) leaves row-major
/// data in the output's order: an alias of the input, like Reshape.
/// </summary>
internal sealed class AliasOrderKeepingTranspose : IPass
{
    public static readonly AliasOrderKeepingTranspose Instance = new();

    public string Name => "alias-order-keeping-transpose";

    public string Summary => "Transpose that moves only size-1 axes → an alias of its input, no layer";

    public void Apply(LoweringContext ctx, Node node)
    {
        ctx.Passes.Record(this);
        ReshapeLowering.Instance.Lower(ctx, node);
    }
}
