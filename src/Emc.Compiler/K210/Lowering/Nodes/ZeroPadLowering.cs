using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Pad whose pads are all zero is a no-op (an alias); kmodel v3 has no layer for any other Pad.</summary>
internal sealed class ZeroPadLowering : INodeLowering
{
    public static readonly ZeroPadLowering Instance = new();

    public string Name => "alias-zero-pad";

    public string Summary => "Pad with all-zero pads → an alias of its input, no layer";

    public IReadOnlyList<string> OpTypes { get; } = ["Pad"];

    public void Lower(LoweringContext ctx, Node node)
    {
        bool zeroPads = node.Inputs.Skip(1).All(v => v is null || v.Constant?.ToInt64Array().All(x => x == 0) != false)
            && node.Outputs[0].Shape!.Equals(node.Inputs[0]!.Shape);
        if (!zeroPads)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedOperator, node, LoweringTable.NoLayerMessage);
            return;
        }

        ReshapeLowering.Instance.Lower(ctx, node);
    }
}
