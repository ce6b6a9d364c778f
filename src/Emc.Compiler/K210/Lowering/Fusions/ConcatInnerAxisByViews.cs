using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Concat along an inner axis (a detection head's [1,C,N₁] ‖ [1,C,N₂] on the last axis) interleaves runs of its
/// inputs: for each index of the outer axes, each input's block in turn. One float CONCAT whose inputs are views of
/// the (dequantized) inputs at those blocks copies exactly that.
/// </summary>
internal sealed class ConcatInnerAxisByViews : IPass
{
    public static readonly ConcatInnerAxisByViews Instance = new();

    public string Name => "concat-inner-axis-by-views";

    public string Summary => "Concat along an inner axis (outer dimensions > 1) → one float CONCAT of the inputs' interleaved blocks";

    /// <summary>True when the node concatenates non-constant inputs along an axis with outer dimensions > 1 in at
    /// most <see cref="GatherRunsByConcat.MaxRuns"/> blocks.</summary>
    public static bool Applies(Node node)
    {
        var shape = node.Outputs[0].Shape!;
        int axis = ((ConcatParameters)node.Parameters!).Axis;
        long outer = Outer(shape, axis);
        return outer > 1 && node.Inputs.All(v => v is { Constant: null, Shape: not null }) && outer * node.Inputs.Count <= GatherRunsByConcat.MaxRuns;
    }

    public void Apply(LoweringContext ctx, Node node)
    {
        var shape = node.Outputs[0].Shape!;
        int axis = ((ConcatParameters)node.Parameters!).Axis;
        var sources = new List<(K210Tensor Tensor, long Block)>();
        foreach (var v in node.Inputs.Select(v => v!))
        {
            var f = ctx.GetFloat(v, node);
            if (f is null)
            {
                ctx.Slot(node.Outputs[0]).Failed = true;
                return;
            }

            sources.Add((f, v.Shape!.ElementCount / Outer(shape, axis)));
        }

        ctx.Passes.Record(this);
        var pieces = new List<K210Tensor>();
        long outer = Outer(shape, axis);
        for (long o = 0; o < outer; o++)
        {
            foreach (var (tensor, block) in sources)
            {
                var piece = ctx.NewTensor(tensor.Name + ".block", K210ElementType.Float32, K210MemoryKind.Main, (int)block, 1, 1);
                piece.AliasOf = tensor;
                piece.AliasOffset = o * block * tensor.ElementSize;
                pieces.Add(piece);
            }
        }

        var (c, h, w) = LoweringContext.Chw(shape);
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, c, h, w);
        ctx.Add(new ConcatLayer(node.Name, pieces, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }

    private static long Outer(Shape shape, int axis)
    {
        long outer = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= shape[d];
        }

        return outer;
    }
}
