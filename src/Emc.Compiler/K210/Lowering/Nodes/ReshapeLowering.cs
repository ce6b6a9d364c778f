using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout: planar data keeps its order — an alias, no layer.</summary>
internal sealed class ReshapeLowering : INodeLowering
{
    public static readonly ReshapeLowering Instance = new();

    public string Name => "alias-reshape";

    public string Summary => "Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout keep planar order: an alias of the input, no layer";

    public IReadOnlyList<string> OpTypes { get; } = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"];

    public void Lower(LoweringContext ctx, Node node)
    {
        var inSlot = ctx.Slot(node.Inputs[0]!);
        var output = node.Outputs[0];
        var (c, h, w) = LoweringContext.Chw(output.Shape!);
        var source = inSlot.Float ?? ctx.GetMainU8(node.Inputs[0]!, node);
        if (source is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        var alias = ctx.NewTensor(output.Name, source.Type, K210MemoryKind.Main, c, h, w);
        alias.AliasOf = source;
        alias.QuantFrom = source.Type == K210ElementType.UInt8 ? source : null;
        var slot = ctx.Slot(output);
        if (source.Type == K210ElementType.Float32)
        {
            slot.Float = alias;
        }
        else
        {
            slot.MainU8 = alias;
        }
    }
}

