using Emc.Compiler.Ir;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// One activation after a KPU conv: Relu and Clip with min ≤ 0 ≤ max (the calibrated output range clamps);
/// LeakyRelu / PRelu with one shared slope in (0, 1] (the activation table).
/// </summary>
internal sealed class FuseActivationIntoKpuConv : IPass
{
    public static readonly FuseActivationIntoKpuConv Instance = new();

    public string Name => "fuse-activation-into-kpu-conv";

    public string Summary => "Relu, Clip through 0, LeakyRelu or a shared-slope PRelu after a conv becomes its KPU activation / output clamp";

    /// <summary>Fuses the sole consumer of <paramref name="current"/> when it matches; returns the last value and the activation.</summary>
    public (Value Output, KpuActivationFunction Activation) Apply(LoweringContext ctx, Value current, KpuActivationFunction activation)
    {
        if (ctx.SoleConsumer(current) is not { } act)
        {
            return (current, activation);
        }

        KpuActivationFunction? fused = act.OpType switch
        {
            "Relu" or "Clip" when ClipRange.IsClampThroughZero(act) => activation,
            "LeakyRelu" when act.Parameters is ActivationParameters { Alpha: > 0 and <= 1 } a => KpuActivationFunction.Leaky(a.Alpha),
            "PRelu" when SharedSlope(act) is { } slope && slope is > 0 and <= 1 => KpuActivationFunction.Leaky(slope),
            _ => null,
        };
        if (fused is not { } chosen)
        {
            return (current, activation);
        }

        ctx.Passes.Record(this);
        ctx.Consume(act);
        return (act.Outputs[0], chosen);
    }

    private static float? SharedSlope(Node prelu)
    {
        if (prelu.Inputs.Count < 2 || prelu.Inputs[1]?.Constant is not { } c)
        {
            return null;
        }

        var values = c.ToFloatArray();
        return values.Length > 0 && values.All(v => v == values[0]) ? values[0] : null;
    }
}
