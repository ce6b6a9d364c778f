using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A selection whose output is one run of consecutive source elements (a Slice/Split/Gather of a channel range of a
/// [1,C,H,W] map, a row range of a [1,C] vector) is a view of the source's main-memory bytes at an offset: no layer.
/// </summary>
internal sealed class ViewElementRange : IPass
{
    public static readonly ViewElementRange Instance = new();

    public string Name => "view-element-range";

    public string Summary => "Slice/Split/Gather selecting one run of consecutive elements (e.g. a channel range) → a view at an offset, no layer";

    public K210Tensor Apply(LoweringContext ctx, K210Tensor source, ElementRun run, string name, (int C, int H, int W) dims)
    {
        ctx.Passes.Record(this);
        var view = ctx.NewTensor(name, source.Type, K210MemoryKind.Main, dims.C, dims.H, dims.W);
        view.AliasOf = source;
        view.AliasOffset = run.Start * source.ElementSize;
        view.QuantFrom = source.Type == K210ElementType.UInt8 ? source : null;
        return view;
    }
}
