using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>The SDK's <c>kpu_run_kmodel</c> starts with the KPU conv that reads the input.</summary>
internal sealed class CheckFirstLayer : ILoweringStep
{
    public static readonly CheckFirstLayer Instance = new();

    public string Name => "check-first-layer";

    public string Summary => "the first layer is the KPU convolution that reads the device input (SDK requirement)";

    public bool Run(LoweringContext ctx)
    {
        if (ctx.Model.Layers.Count > 0 && (ctx.Model.Layers[0] is not KpuConvLayer first || !first.Inputs[0].IsDeviceInput))
        {
            ctx.Diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                "the first layer must be the KPU convolution that reads the input (SDK kpu_run_kmodel requirement)", ctx.Graph.SourcePath));
        }

        return true;
    }
}
