using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// <see cref="FineActivations"/> with <see cref="CompileOptions.FineActivationsPercent"/> &gt; 0, before calibration, decided
/// on the candidates' values over the first <see cref="FineActivations.Samples"/> calibration samples. When a value is
/// split the graph is lowered again, so calibration sees the final graph.
/// </summary>
internal sealed class SplitFineActivations : ICompileStage
{
    public static readonly SplitFineActivations Instance = new();

    public string Name => "fine-activations";

    public string Summary => "with --fine-activations: bounded ReLU outputs (ReLU6), from the input on and within the MAC budget, carried as two uint8 channels per channel, "
        + "each covering half the range (4× less rounding noise), the readers' weights repeated; then lower again";

    public bool Run(CompileState state)
    {
        if (state.Options.FineActivationsPercent <= 0 || FineActivations.Candidates(state.Graph) is not { Count: > 0 } candidates)
        {
            return true;
        }

        var statistics = RewriteBeforeCalibration.Statistics(state, [.. candidates.Select(c => c.Clip.Outputs[0])], FineActivations.Samples);
        if (FineActivations.Run(state.Graph, candidates, state.Options.FineActivationsPercent, statistics, state.Options.ActivationRanges == ActivationRanges.PerChannel,
            state.Diagnostics) == 0)
        {
            return true;
        }

        return RewriteBeforeCalibration.LowerAgain(state, LoadCalibrationData.Instance, SplitDepthwiseRanges.Instance, this);
    }
}
