using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>Relu (activation 1) or Clip(0, 6) (activation 2) after a float FULLY_CONNECTED.</summary>
internal sealed class FuseActivationIntoFullyConnected : IPass
{
    public static readonly FuseActivationIntoFullyConnected Instance = new();

    public string Name => "fuse-activation-into-fully-connected";

    public string Summary => "Relu or Clip(0, 6) after a float FULLY_CONNECTED becomes its activation field";

    public (Value Output, int Activation) Apply(LoweringContext ctx, Value output)
    {
        if (ctx.SoleConsumer(output) is { } act)
        {
            int activation = act.OpType == "Relu" ? 1 : act.OpType == "Clip" && ClipRange.Of(act) is { Min: 0, Max: 6 } ? 2 : 0;
            if (activation != 0)
            {
                ctx.Passes.Record(this);
                ctx.Consume(act);
                return (act.Outputs[0], activation);
            }
        }

        return (output, 0);
    }
}
