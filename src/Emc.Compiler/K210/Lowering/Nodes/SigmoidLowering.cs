using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Sigmoid → LOGISTIC (float).</summary>
internal sealed class SigmoidLowering : INodeLowering
{
    public static readonly SigmoidLowering Instance = new();

    public string Name => "lower-sigmoid";

    public string Summary => "Sigmoid → LOGISTIC on float data";

    public IReadOnlyList<string> OpTypes { get; } = ["Sigmoid"];

    public void Lower(LoweringContext ctx, Node node) => FloatUnary.Lower(ctx, node, (i, o) => new LogisticLayer(node.Name, i, o));
}
