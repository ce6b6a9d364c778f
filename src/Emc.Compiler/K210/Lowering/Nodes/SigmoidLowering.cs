using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Sigmoid → LOGISTIC (float).</summary>
internal sealed class SigmoidLowering : INodeLowering
{
    public static readonly SigmoidLowering Instance = new();

    public string Name => "lower-sigmoid";

    public string Summary => "Sigmoid → LOGISTIC on float data (on uint8 data, or inside an element-wise chain: elementwise-table)";

    public IReadOnlyList<string> OpTypes { get; } = ["Sigmoid"];

    public void Lower(LoweringContext ctx, Node node)
    {
        // On uint8 data (or as part of a longer element-wise chain such as SiLU) a table needs no dequantize.
        bool table = ctx.IsUInt8(node.Inputs[0]!) || Fusions.ElementwiseCone.Grow(ctx, node) is { Nodes.Count: > 1 };
        if (!table || !Fusions.ElementwiseTable.Instance.TryLower(ctx, node))
        {
            FloatUnary.Lower(ctx, node, (i, o) => new LogisticLayer(node.Name, i, o));
        }
    }
}
