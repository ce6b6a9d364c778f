using Emc.Compiler.Ir;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Runs the float evaluator over the calibration samples, decoded one at a time, and collects histograms of
/// every tensor a range is chosen for. Held-out samples are decoded too (not evaluated), so an unusable file fails the
/// build here, before anything is emitted, and every problem is listed in file order.</summary>
internal sealed class Calibrate : ICompileStage
{
    public static readonly Calibrate Instance = new();

    public string Name => "calibrate";

    public string Summary => "float evaluation of the calibration samples, decoded one at a time → per-tensor histogram statistics";

    public bool Run(CompileState state)
    {
        int count = state.Split!.Calibration.Count;
        state.PatchMoments = state.Options.WeightRounding == WeightRounding.ErrorFeedback ? WeightRoundingFactors.Requests(state.Model!) : null;
        state.Statistics = Calibrator.Collect(
            state.Graph,
            QuantizationResolver.RangeSources(state.Model!),
            Inputs(state),
            progress: n => state.Progress?.Invoke($"calibration {n}/{count}"),
            state.PatchMoments);
        if (state.Diagnostics.HasErrors)
        {
            return false;
        }

        if (state.CalibrationSamples == 0)
        {
            state.Diagnostics.Add(CompilerDiagnostics.DatasetFile.Create("the dataset holds no usable sample", state.SourcePath));
            return false;
        }

        return true;
    }

    /// <summary>The calibration samples' model inputs, decoded one at a time in dataset order; after the first unusable
    /// sample the rest are only checked (every problem is listed), not evaluated.</summary>
    private static IEnumerable<Tensor> Inputs(CompileState state)
    {
        var inputShape = state.Graph.Inputs[0].Shape!;
        var calibrates = new HashSet<int>(state.Split!.Calibration);
        int index = 0;
        foreach (var sample in state.Dataset!.Decode(state.Diagnostics))
        {
            if (sample is not null && calibrates.Contains(index) && !state.Diagnostics.HasErrors)
            {
                state.CalibrationSamples++;
                yield return Tensor.Create(inputShape, sample.ModelInput);
            }

            index++;
        }
    }
}
