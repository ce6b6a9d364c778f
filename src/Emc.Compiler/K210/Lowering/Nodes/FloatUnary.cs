using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Lowers a one-input node to a float CPU layer of the same shape.</summary>
internal static class FloatUnary
{
    public static void Lower(LoweringContext ctx, Node node, Func<K210Tensor, K210Tensor, K210Layer> create)
    {
        var input = ctx.GetFloat(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, input.Height, input.Width);
        ctx.Add(create(input, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }
}
