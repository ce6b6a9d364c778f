using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Relu / Clip(min ≤ 0 ≤ max) after a uint8 layer that rescales (QUANTIZED_ADD, the KPU FC): the output range
/// calibrated on the activation's output makes the [0, 255] clamp do its work, as for KPU convs (spec §7.6).
/// </summary>
internal sealed class FuseClampIntoOutputRange : IPass
{
    public static readonly FuseClampIntoOutputRange Instance = new();

    public string Name => "fuse-clamp-into-output-range";

    public string Summary => "Relu or Clip through 0 after a rescaling uint8 layer becomes the clamp of its calibrated output range";

    public Value Apply(LoweringContext ctx, Value output)
    {
        if (ctx.SoleConsumer(output) is { } act && ClipRange.IsClampThroughZero(act))
        {
            ctx.Passes.Record(this);
            ctx.Consume(act);
            return act.Outputs[0];
        }

        return output;
    }
}
