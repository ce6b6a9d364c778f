using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Chooses every uint8 tensor's range from the statistics and quantizes weights, biases and tables.</summary>
internal sealed class ResolveQuantization : ICompileStage
{
    public static readonly ResolveQuantization Instance = new();

    public string Name => "resolve-quantization";

    public string Summary => "activation ranges by the calibration method; per-channel weight scales, weight rounding, bias correction, layer parameters";

    public bool Run(CompileState state)
    {
        QuantizationResolver.Resolve(state.Model!, state.Statistics!, state.Options, state.Diagnostics, state.SourcePath, state.PatchMoments);
        return !state.Diagnostics.HasErrors;
    }
}
