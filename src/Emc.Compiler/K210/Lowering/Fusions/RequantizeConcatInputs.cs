using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Concat of uint8 inputs → QUANTIZED_CONCAT, each input re-quantized to the output's (s, b) with REQUANTIZE; convs
/// used only here adopt the output range instead. Inputs that are all copies of one quantized tensor (its channel groups,
/// gathered apart) already share its (s, b), and so does the output: nothing is requantized.
/// </summary>
internal sealed class RequantizeConcatInputs : IPass
{
    public static readonly RequantizeConcatInputs Instance = new();

    public string Name => "requantize-concat-inputs";

    public string Summary => "Concat of uint8 inputs → QUANTIZED_CONCAT, inputs brought to the output range (conv outputs adopt it, others REQUANTIZE)";

    public void Apply(LoweringContext ctx, Node node)
    {
        ctx.Passes.Record(this);
        var (c, h, w) = LoweringContext.Chw(node.Outputs[0].Shape!);
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, c, h, w);
        output.RangeSource = node.Outputs[0];
        if (SharedQuantization(ctx, node) is { } shared)
        {
            output.RangeSource = null;
            output.QuantFrom = shared;
            ctx.Add(new ConcatLayer(node.Name, [.. node.Inputs.Select(v => ctx.Slot(v!).MainU8!)], output));
            ctx.Slot(node.Outputs[0]).MainU8 = output;
            return;
        }

        var parts = new List<K210Tensor>();
        foreach (var v in node.Inputs.Select(v => v!))
        {
            var slot = ctx.Slot(v);
            bool adopt = ctx.SoleConsumer(v) == node && slot.KpuProducer is { MainOutput: null } conv && slot.Sample is null && slot.MainU8 is null
                && node.Inputs.Count(x => x == v) == 1 && ClipRange.ClampClass(v) == "none";
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

    /// <summary>The tensor whose (s, b) every input shares (through <see cref="K210Tensor.QuantFrom"/>), if there is one.</summary>
    private static K210Tensor? SharedQuantization(LoweringContext ctx, Node node)
    {
        K210Tensor? root = null;
        foreach (var v in node.Inputs)
        {
            var t = ctx.Slot(v!).MainU8;
            if (t is null || t.QuantFrom is null)
            {
                return null;
            }

            while (t.QuantFrom is { } from)
            {
                t = from;
            }

            if (root is not null && root != t)
            {
                return null;
            }

            root = t;
        }

        return root;
    }
}
