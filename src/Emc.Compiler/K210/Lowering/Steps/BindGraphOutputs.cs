using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>Each graph output that lowered becomes a float32 model output (dequantized where it is uint8).</summary>
internal sealed class BindGraphOutputs : ILoweringStep
{
    public static readonly BindGraphOutputs Instance = new();

    public string Name => "bind-graph-outputs";

    public string Summary => "each graph output becomes a float32 kmodel output, dequantized where its data is uint8";

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

            if (tensor is null && output == ctx.DeviceInputValue && ctx.DeviceInputInMain is { } u8)
            {
                tensor = ctx.NewTensor(output.Name + ".f32", K210ElementType.Float32, K210MemoryKind.Main, u8.Channels, u8.Height, u8.Width);
                ctx.Add(new DequantizeLayer("(input) " + output.Name, u8, tensor));
                slot.Float = tensor;
            }

            if (tensor is not null)
            {
                ctx.Model.Outputs.Add((output.Name, tensor));
            }
        }

        return true;
    }
}
