using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A Slice of a uint8 [1,C,H,W] map (or [1,H,W]) that takes a channel range and a rectangle of rows and columns with
/// positive steps — YOLOv5's Focus (every other pixel), a crop, a slice of a detection head's last axis — is one
/// exact pick: QUANTIZED_MAX_POOL2D with a 1×1 window, strides = the steps and the start as the read offset.
/// </summary>
internal sealed class SliceAsPick : IPass
{
    public static readonly SliceAsPick Instance = new();

    public string Name => "slice-as-pick";

    public string Summary => "Slice of a uint8 map with positive row/column steps → a 1×1 QUANTIZED_MAX_POOL2D pick (offset, strides)";

    /// <summary>The slice geometry when the node is such a slice: (channel start, row start, column start, steps).</summary>
    public static (int C0, int Y0, int X0, int StepH, int StepW)? Geometry(Node node)
    {
        if (node.Parameters is not SliceParameters p || node.Inputs[0]?.Shape is not { } shape || shape[0] != 1 || p.Steps[0] != 1)
        {
            return null;
        }

        return shape.Rank switch
        {
            4 when p.Steps[1] == 1 && p.Steps[2] > 0 && p.Steps[3] > 0 =>
                ((int)p.Starts[1], (int)p.Starts[2], (int)p.Starts[3], (int)p.Steps[2], (int)p.Steps[3]),
            3 when p.Steps[1] > 0 && p.Steps[2] > 0 => (0, (int)p.Starts[1], (int)p.Starts[2], (int)p.Steps[1], (int)p.Steps[2]),
            _ => null,
        };
    }

    public K210Tensor Apply(LoweringContext ctx, Node node, K210Tensor source, (int C0, int Y0, int X0, int StepH, int StepW) g)
    {
        ctx.Passes.Record(this);
        var inShape = node.Inputs[0]!.Shape!;
        var outShape = node.Outputs[0].Shape!;
        bool planar = inShape.Rank == 4;
        int h = planar ? inShape[2] : inShape[1], w = planar ? inShape[3] : inShape[2];
        int outC = planar ? outShape[1] : 1, outH = planar ? outShape[2] : outShape[1], outW = planar ? outShape[3] : outShape[2];

        // The pool reads planes of in_h·in_w for out_c channels: a view starting at the first selected channel.
        var channels = ctx.NewTensor(node.Inputs[0]!.Name + ".channels", K210ElementType.UInt8, K210MemoryKind.Main, outC, h, w);
        channels.AliasOf = source;
        channels.AliasOffset = (long)g.C0 * h * w;
        channels.QuantFrom = source;

        var picked = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, outC, outH, outW);
        picked.QuantFrom = source;
        ctx.Add(new QuantizedMaxPoolLayer(node.Name, channels, picked, (g.Y0 * w) + g.X0, h, w, 1, g.StepH, 0, 0) { StrideW = g.StepW });

        // The node's value in its own rank (a [1,N,L] slice is N×L×1 planar): a view of the picked map.
        var (c, oh, ow) = LoweringContext.Chw(outShape);
        if ((c, oh, ow) == (outC, outH, outW))
        {
            return picked;
        }

        var view = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, c, oh, ow);
        view.AliasOf = picked;
        view.QuantFrom = picked;
        return view;
    }
}
