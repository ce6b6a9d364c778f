using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>The element-wise cone that starts at a node → one REQUANTIZE table over its source's uint8 codes.</summary>
internal sealed class ElementwiseTable : IPass
{
    public static readonly ElementwiseTable Instance = new();

    public string Name => "elementwise-table";

    public string Summary => "a chain of element-wise nodes computing f(x) from one tensor x → one REQUANTIZE table (the nodes after the first are fused)";

    /// <summary>Lowers the cone starting at <paramref name="first"/>; false when it is not one (nothing changed).</summary>
    public bool TryLower(LoweringContext ctx, Node first)
    {
        if (ElementwiseCone.Grow(ctx, first) is not { } cone)
        {
            return false;
        }

        var input = ctx.GetMainU8(cone.Source, first);
        foreach (var node in cone.Nodes.Skip(1))
        {
            ctx.Consume(node);
        }

        if (input is null)
        {
            ctx.Slot(cone.Output).Failed = true;
            return true;
        }

        var output = ctx.NewTensor(cone.Output.Name, K210ElementType.UInt8, K210MemoryKind.Main, input.Channels, input.Height, input.Width);
        output.RangeSource = cone.Output;
        ctx.Add(new RequantizeLayer(first.Name, input, output, cone));
        ctx.Slot(cone.Output).MainU8 = output;
        ctx.Passes.Record(this);
        return true;
    }
}
