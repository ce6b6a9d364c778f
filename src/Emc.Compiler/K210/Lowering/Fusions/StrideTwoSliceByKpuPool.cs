using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A stride-2 phase x[:, :, a::2, b::2] of a map in KPU RAM (the phases of a large input, see
/// <see cref="Rewrites.StridedInputConvAsPhases"/>) is picked by the KPU itself: a 1×1 identity conv whose pool stage
/// takes (2i, 2j) (type 5) or (2i, 2j + 1) (type 6), reading the map one row down for a = 1. Byte-exact (same
/// quantization in and out, weights 0 and 1), no trip through main memory — whose per-channel limit (65536 bytes) a
/// 240×320 map exceeds. On the device input with a per-channel map (seeta's x − [123, 117, 104]) the layer applies the
/// map too (issue 16 item 6: the conv after the phases then pads with real zero, exactly).
/// </summary>
internal sealed class StrideTwoSliceByKpuPool : IPass
{
    public static readonly StrideTwoSliceByKpuPool Instance = new();

    public string Name => "stride-two-slice-by-kpu-pool";

    public string Summary => "a stride-2 phase (Slice a::2, b::2) of a KPU map → a 1×1 identity KPU conv with a left/right-top pool and an optional one-row shifted read";

    /// <summary>
    /// True when the device input feeds only such phases (and is no graph output): they read the device map directly,
    /// with no identity layer first — whose full-size output a 240×320 input could not have (channel_byte_num).
    /// </summary>
    public static bool FeedsOnlyPhases(LoweringContext ctx, Value fed) =>
        fed.Consumers.Count > 0 && !ctx.Graph.Outputs.Contains(fed) && fed.Consumers.All(n => Phase(n) is not null);

    /// <summary>The phase (a, b) a Slice takes: x[:, :, a::2, b::2] over whole rows and columns, all channels.</summary>
    private static (int A, int B)? Phase(Node node)
    {
        if (node.OpType != "Slice" || SliceAsPick.Geometry(node) is not { C0: 0, StepH: 2, StepW: 2 } g || g.Y0 > 1 || g.X0 > 1
            || node.Inputs[0]?.Shape is not { Rank: 4 } shape || node.Outputs[0].Shape is not { } outShape
            || shape[2] % 2 != 0 || shape[3] % 2 != 0 || outShape[1] != shape[1] || outShape[2] != shape[2] / 2 || outShape[3] != shape[3] / 2)
        {
            return null;
        }

        return (g.Y0, g.X0);
    }

    public bool TryLower(LoweringContext ctx, Node node)
    {
        var x = node.Inputs[0]!;
        if (Phase(node) is not var (a, b) || ctx.Slot(x) is not { Kpu: { } input, Sample: null })
        {
            return false;
        }

        var shape = x.Shape!;
        int c = shape[1], h = shape[2], w = shape[3];
        if (c > ConvLowering.MaxChannels || w > ConvLowering.MaxWidth || h > ConvLowering.MaxHeight)
        {
            return false;
        }

        ctx.Passes.Record(this);
        bool rowShift = a == 1;
        if (rowShift)
        {
            input.KpuTailUnits = Math.Max(input.KpuTailUnits, KpuTensorLayout.ForWidth(w).RowLength);
        }

        // Reading the device input, the layer also applies the input map (per-channel mean/std, channel order), so the
        // phases hold the model's values in one quantization and a padded conv after them pads with real zero.
        var pre = input.IsDeviceInput ? ctx.Preprocessing! : new Preprocessing([1], [0], false);
        bool exact = pre.IsQuantization;
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Kpu, c, h / 2, w / 2);
        output.QuantFrom = exact ? input : null;
        output.RangeSource = exact ? null : node.Outputs[0];
        var layer = ctx.Add(new KpuConvLayer(node.Name, input, output, IdentityInputLayer.Matrix(pre, c, exact), KpuActivationFunction.Linear,
            b == 0 ? KpuPoolType.LeftTop2S2 : KpuPoolType.RightTop2S2) { InputRowShift = rowShift });
        var slot = ctx.Slot(node.Outputs[0]);
        slot.Kpu = output;
        slot.KpuProducer = layer;
        return true;
    }
}
