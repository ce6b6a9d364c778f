using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Rewrites;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Resize / Upsample (nearest) over H and W → QUANTIZED_RESIZE_NEAREST_NEIGHBOR on uint8 data (no rescaling: the
/// output shares the input's (s, b)) or RESIZE_NEAREST_NEIGHBOR on float. The runtime reads
/// <c>min(floorf(o·(float)in/out), in − 1)</c> (asymmetric + floor); any coordinate mode is accepted exactly when
/// its index map, as the importer resolved it for these sizes, is identical to that one at every output index.
/// A linear resize arrives here only when <see cref="LinearResizeAsNearestAndDepthwise"/> could not realise it.
/// </summary>
internal sealed class ResizeLowering : INodeLowering
{
    public static readonly ResizeLowering Instance = new();

    public string Name => "lower-resize-nearest";

    public string Summary => "Resize / Upsample (nearest) whose index map equals the runtime's → (QUANTIZED_)RESIZE_NEAREST_NEIGHBOR";

    public IReadOnlyList<string> OpTypes { get; } = ["Resize", "Upsample"];

    public void ReportOwnProblems(LoweringContext ctx, Node node)
    {
        if (node.Parameters is LinearResizeParameters)
        {
            ReportLinear(ctx, node);
        }
    }

    public void Lower(LoweringContext ctx, Node node)
    {
        var inShape = node.Inputs[0]?.Shape;
        var outShape = node.Outputs[0].Shape;
        if (node.Parameters is LinearResizeParameters)
        {
            ReportLinear(ctx, node);
            return;
        }

        if (node.Parameters is not NearestResizeParameters p || inShape is not { Rank: 4 } || outShape is not { Rank: 4 })
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "only nearest-neighbour resizing of a [1, C, H, W] tensor maps to RESIZE_NEAREST_NEIGHBOR");
            return;
        }

        if (!IsIdentity(p.SourceIndex[0]) || !IsIdentity(p.SourceIndex[1]) || p.SourceIndex[0].Length != inShape[0] || p.SourceIndex[1].Length != inShape[1])
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "RESIZE_NEAREST_NEIGHBOR resizes height and width only (batch and channels must stay)");
            return;
        }

        for (int axis = 2; axis < 4; axis++)
        {
            if (FirstMismatch(p.SourceIndex[axis], inShape[axis]) is int at)
            {
                ctx.Error(CompilerDiagnostics.UnsupportedPattern, node,
                    $"{(axis == 2 ? "height" : "width")} {inShape[axis]}→{p.SourceIndex[axis].Length} with coordinate mode '{p.CoordinateMode}' reads input index {p.SourceIndex[axis][at]} at output {at}; RESIZE_NEAREST_NEIGHBOR (asymmetric, floor) reads {KmodelIndex(at, inShape[axis], p.SourceIndex[axis].Length)}");
                return;
            }
        }

        var value = node.Inputs[0]!;
        bool quantized = ctx.IsUInt8(value) || QuantizeFirst(ctx, node, p);
        var input = quantized ? ctx.GetMainU8(value, node) : ctx.GetFloat(value, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, input.Type, K210MemoryKind.Main, input.Channels, outShape[2], outShape[3]);
        output.QuantFrom = quantized ? input : null;
        ctx.Add(new ResizeNearestLayer(node.Name, input, output));
        var slot = ctx.Slot(node.Outputs[0]);
        if (quantized)
        {
            slot.MainU8 = output;
        }
        else
        {
            slot.Float = output;
        }
    }

    /// <summary>
    /// A float map upsampled for readers that take uint8 (a conv, or a concat whose other inputs are uint8 — DeepLabV3's
    /// image-pooling branch, 1×1 → 33×33): quantize the small map and resize the bytes, instead of resizing floats and
    /// quantizing the large map (4× the memory). The same bytes: nearest resizing copies values, and when every input
    /// pixel is read the output's calibrated range is the input's, so both quantize with one (s, b).
    /// </summary>
    private static bool QuantizeFirst(LoweringContext ctx, Node node, NearestResizeParameters p)
    {
        var output = node.Outputs[0];
        bool everyPixelRead = p.SourceIndex.Skip(2).Zip(node.Inputs[0]!.Shape!.ToArray().Skip(2)).All(a => a.First.Distinct().Count() == a.Second);
        return everyPixelRead && output.Consumers.Count > 0 && !ctx.Graph.Outputs.Contains(output) && output.Consumers.All(c => c.OpType switch
        {
            "Conv" => c.Inputs[0] == output,
            "Concat" => c.Inputs.All(v => v == output || (v is not null && ctx.IsUInt8(v))),
            _ => false,
        });
    }

    /// <summary>The map-size-rewrites stage realises every linear resize it can; what is left names its limit.</summary>
    private static void ReportLinear(LoweringContext ctx, Node node) =>
        ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, LinearResizeAsNearestAndDepthwise.Problem(node) ?? "linear resizing was not rewritten before lowering");

    /// <summary>The index the runtime reads (kpu.c: float32 scale, floorf, clamp).</summary>
    public static int KmodelIndex(int o, int inLength, int outLength)
    {
        float scale = (float)inLength / outLength;
        return Math.Min((int)MathF.Floor(o * scale), inLength - 1);
    }

    private static int? FirstMismatch(int[] map, int inLength)
    {
        for (int o = 0; o < map.Length; o++)
        {
            if (map[o] != KmodelIndex(o, inLength, map.Length))
            {
                return o;
            }
        }

        return null;
    }

    private static bool IsIdentity(int[] map)
    {
        for (int i = 0; i < map.Length; i++)
        {
            if (map[i] != i)
            {
                return false;
            }
        }

        return true;
    }
}
