using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Concat of planar tensors (channel axis, or any axis whose outer dimensions are 1: a byte concatenation), in order
/// of preference: (1) exclusive placement — every input is a KPU conv result used only here, so each conv's
/// main-memory output is placed straight into its slice of the output buffer and all share the output's (s, b):
/// no layer; (2) QUANTIZED_CONCAT of uint8 inputs, each re-quantized to the output's (s, b) with REQUANTIZE
/// (convs used only here adopt the output range instead); (3) float CONCAT.
/// </summary>
internal static class ConcatLowering
{
    public static void Lower(LoweringContext ctx, Node node)
    {
        var shape = node.Outputs[0].Shape!;
        long axis = node.Attributes.TryGetValue("axis", out var attr) ? attr.Int : 1;
        if (axis < 0)
        {
            axis += shape.Rank;
        }

        if (!Enumerable.Range(0, (int)axis).All(d => shape[d] == 1) || node.Inputs.Any(v => v is null || v.Constant is not null))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node,
                $"concat along axis {axis} of {shape} is not a concatenation of whole planar tensors (kmodel v3 concatenates along channels only) or has constant inputs");
            return;
        }

        if (TryExclusive(ctx, node))
        {
            return;
        }

        if (node.Inputs.All(v => ActivationFusion.IsUInt8(ctx, v!)))
        {
            Quantized(ctx, node);
            return;
        }

        FloatLowerings.Concat(ctx, node);
    }

    private static bool TryExclusive(LoweringContext ctx, Node node)
    {
        var inputs = node.Inputs.Select(v => v!).ToList();
        if (inputs.Distinct().Count() != inputs.Count)
        {
            return false;
        }

        var convs = new List<KpuConvLayer>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var slot = ctx.Slot(inputs[i]);
            if (ctx.SoleConsumer(inputs[i]) != node || slot.KpuProducer is not { MainOutput: null } conv || slot.Sample is not null
                || slot.MainU8 is not null || slot.Kpu != conv.Output)
            {
                return false;
            }

            // Slices after the first start at multiples of 8: the conv's DMA writes whole 8-byte words.
            if (i < inputs.Count - 1 && conv.Output.ElementCount % 8 != 0)
            {
                return false;
            }

            convs.Add(conv);
        }

        if (inputs.Select(ClampClass).Distinct().Count() != 1)
        {
            return false; // the shared range would loosen one input's Relu/Clip clamp
        }

        var (c, h, w) = LoweringContext.Chw(node.Outputs[0].Shape!);
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, c, h, w);
        output.RangeSource = node.Outputs[0];
        long offset = 0;
        foreach (var conv in convs)
        {
            var o = conv.Output;
            o.RangeSource = null;
            o.QuantFrom = output;
            var slice = ctx.NewTensor(o.Name + ".slice", K210ElementType.UInt8, K210MemoryKind.Main, o.Channels, o.Height, o.Width);
            slice.AliasOf = output;
            slice.AliasOffset = offset;
            slice.QuantFrom = output;
            conv.MainOutput = slice;
            offset += o.ElementCount;
        }

        ctx.Slot(node.Outputs[0]).MainU8 = output;
        return true;
    }

    private static void Quantized(LoweringContext ctx, Node node)
    {
        var (c, h, w) = LoweringContext.Chw(node.Outputs[0].Shape!);
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, c, h, w);
        output.RangeSource = node.Outputs[0];
        var parts = new List<K210Tensor>();
        foreach (var v in node.Inputs.Select(v => v!))
        {
            var slot = ctx.Slot(v);
            bool adopt = ctx.SoleConsumer(v) == node && slot.KpuProducer is { MainOutput: null } conv && slot.Sample is null && slot.MainU8 is null
                && node.Inputs.Count(x => x == v) == 1 && ClampClass(v) == "none";
            if (adopt)
            {
                slot.KpuProducer!.Output.RangeSource = null;
                slot.KpuProducer.Output.QuantFrom = output;
            }

            var u8 = ctx.GetMainU8(v, node);
            if (u8 is null)
            {
                ctx.Slot(node.Outputs[0]).Failed = true;
                return;
            }

            if (!adopt)
            {
                var requantized = ctx.NewTensor(v.Name + ".rq", K210ElementType.UInt8, K210MemoryKind.Main, u8.Channels, u8.Height, u8.Width);
                requantized.QuantFrom = output;
                ctx.Add(new RequantizeLayer(node.Name, u8, requantized));
                u8 = requantized;
            }

            parts.Add(u8);
        }

        ctx.Add(new ConcatLayer(node.Name, parts, output));
        ctx.Slot(node.Outputs[0]).MainU8 = output;
    }

    /// <summary>What the producer's output range clamp stands for: a Relu, a Clip with its bounds, or nothing.</summary>
    private static string ClampClass(Value v) => v.Producer switch
    {
        { OpType: "Relu" } => "relu",
        { OpType: "Clip" } clip => ConvFusion.ClipBounds(clip) is { } b ? $"clip({b.Min},{b.Max})" : "clip",
        _ => "none",
    };
}
