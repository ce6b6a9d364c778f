namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>Each graph output that lowered becomes a float32 model output (dequantized where it is uint8).</summary>
internal sealed class BindGraphOutputs : ILoweringStep
{
    public static readonly BindGraphOutputs Instance = new();

    public string Name => "bind-graph-outputs";

    public string Summary => "each graph output becomes a float32 kmodel output, dequantized where its data is uint8";

    /// <summary>
    /// The (normalized) input as a device output — listed among the graph's outputs, or named by a cut for a host tail that
    /// reads it: the identity first layer (which a graph output or several readers put first) copies it to main memory.
    /// </summary>
    internal static bool CanOutputInput(LoweringContext ctx, Ir.Value value) =>
        value == ctx.DeviceInputValue && ctx.Slot(value).KpuProducer is not null && value.Consumers.Count > 0;

    public bool Run(LoweringContext ctx)
    {
        foreach (var output in ctx.Graph.Outputs)
        {
            var slot = ctx.Slot(output);
            if (slot.Failed)
            {
                continue;
            }

            var tensor = slot.Float;
            if (tensor is null && output.Producer is { } producer)
            {
                tensor = ctx.GetFloat(output, producer);
            }

            if (tensor is null && CanOutputInput(ctx, output))
            {
                tensor = ctx.GetFloat(output, output.Consumers[0]);
            }

            if (tensor is not null)
            {
                ctx.Model.Outputs.Add((output.Name, tensor));
            }
        }

        return true;
    }
}
