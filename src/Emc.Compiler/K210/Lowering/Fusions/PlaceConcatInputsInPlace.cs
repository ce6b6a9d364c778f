using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Concat whose every input is a KPU conv result used only here: each conv's main-memory output is placed straight
/// into its slice of the output buffer and all share the output's (s, b) — no layer.
/// </summary>
internal sealed class PlaceConcatInputsInPlace : IPass
{
    public static readonly PlaceConcatInputsInPlace Instance = new();

    public string Name => "place-concat-inputs-in-place";

    public string Summary => "Concat of KPU conv outputs used only there → each conv writes its slice of the output, no layer";

    public bool TryApply(LoweringContext ctx, Node node)
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

        if (inputs.Select(ClipRange.ClampClass).Distinct().Count() != 1)
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
        ctx.Passes.Record(this);
        return true;
    }

}
