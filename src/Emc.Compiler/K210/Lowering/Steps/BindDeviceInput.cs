using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Fusions;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>The uint8 device image becomes a KPU tensor standing for the (normalized) graph input: read directly by
/// its one Conv, or through an identity first layer when it feeds anything else.</summary>
internal sealed class BindDeviceInput : ILoweringStep
{
    public static readonly BindDeviceInput Instance = new();

    public string Name => "bind-device-input";

    public IReadOnlyList<Passes.IPass> Rewrites { get; } = [IdentityInputLayer.Instance];

    public string Summary => "the uint8 device image becomes the KPU map the first Conv reads (or an identity layer, see identity-input-layer), quantized by the input map";

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
        if (IdentityInputLayer.FeedsOneConv(ctx, fed) || StrideTwoSliceByKpuPool.FeedsOnlyPhases(ctx, fed))
        {
            ctx.Slot(fed).Kpu = device;
            return true;
        }

        // Channel order bgr with other than 3 channels was refused by check-graph-input.
        return IdentityInputLayer.Instance.Apply(ctx, fed, device);
    }
}
