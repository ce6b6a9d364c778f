using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>The uint8 device image becomes a KPU tensor standing for the (normalized) graph input; it must feed one Conv.</summary>
internal sealed class BindDeviceInput : ILoweringStep
{
    public static readonly BindDeviceInput Instance = new();

    public string Name => "bind-device-input";

    public string Summary => "the uint8 device image becomes the KPU map the first Conv reads, quantized by the input map";

    public bool Run(LoweringContext ctx)
    {
        var input = ctx.Graph.Inputs[0];
        var fed = ctx.DeviceInputValue!;
        var shape = fed.Shape!;
        var device = ctx.NewTensor(input.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, shape[1], shape[2], shape[3]);
        device.IsDeviceInput = true;
        device.Quant = InputPreprocessing.DeviceQuant(ctx.Preprocessing!);
        ctx.Model.Input = device;
        ctx.Slot(input).Kpu = device;
        ctx.Slot(fed).Kpu = device;

        if (fed.Consumers.Count != 1 || fed.Consumers[0].OpType != "Conv")
        {
            string what = fed == input ? $"the input '{input.Name}'" : $"the input '{input.Name}' (normalized as '{fed.Name}')";
            ctx.Diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                $"{what} must feed exactly one Conv (the device delivers the image to the first KPU convolution only); it feeds {string.Join(", ", fed.Consumers.Select(c => $"{c.OpType} '{c.Name}'"))}",
                ctx.Graph.SourcePath));
        }

        return true;
    }
}
