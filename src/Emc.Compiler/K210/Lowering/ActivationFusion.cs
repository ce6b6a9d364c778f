using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Relu / Clip(min ≤ 0 ≤ max) after a uint8 layer that rescales (QUANTIZED_ADD, REQUANTIZE-free KPU FC): the output
/// range calibrated on the activation's output makes the [0, 255] clamp do its work, as for KPU convs (spec §7.6).
/// </summary>
internal static class ActivationFusion
{
    public static Value FuseClamp(LoweringContext ctx, Value output)
    {
        if (ctx.SoleConsumer(output) is { } act
            && (act.OpType == "Relu" || (act.OpType == "Clip" && ConvFusion.ClipBounds(act) is { } b && b.Min <= 0 && b.Max >= 0)))
        {
            ctx.Consume(act);
            return act.Outputs[0];
        }

        return output;
    }

    /// <summary>The value already exists as uint8 (main memory, or a KPU conv's output that can be sent there).</summary>
    public static bool IsUInt8(LoweringContext ctx, Value value)
    {
        var slot = ctx.Slot(value);
        return slot.MainU8 is not null || slot.KpuProducer is not null;
    }
}
