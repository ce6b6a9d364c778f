using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Softmax over every element of [1, N] (or [1, N, 1, 1]) → SOFTMAX (float).</summary>
internal sealed class SoftmaxLowering : INodeLowering
{
    public static readonly SoftmaxLowering Instance = new();

    public string Name => "lower-softmax";

    public string Summary => "Softmax over one whole vector → SOFTMAX on float data";

    public IReadOnlyList<string> OpTypes { get; } = ["Softmax"];

    public void Lower(LoweringContext ctx, Node node)
    {
        if (node.Parameters is not SoftmaxParameters { Outer: 1, Inner: 1 })
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "SOFTMAX normalises one vector: the softmax axis must hold every element (batch 1, [1, N])");
            return;
        }

        FloatUnary.Lower(ctx, node, (i, o) => new SoftmaxLayer(node.Name, i, o));
    }
}
