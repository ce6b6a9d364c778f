using Emc.Compiler.Calibration;
using Emc.Compiler.K210.Lowering;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Calibration samples from the dataset (or the seeded fallback with a warning), as model and device inputs,
/// split into calibration and accuracy samples (<see cref="HeldOutSplit"/>).</summary>
internal sealed class LoadCalibrationData : ICompileStage
{
    public static readonly LoadCalibrationData Instance = new();

    public string Name => "load-calibration-data";

    public string Summary => "dataset images / .npy / .pb → model inputs and device bytes through the input map";

    public bool Run(CompileState state)
    {
        var layout = state.Model!.InputLayout ?? InputLayout.Planar(state.Graph.Inputs[0].Shape!);
        state.Preprocessing = InputPreprocessing.FromOptions(state.Options, layout.Channels, state.Diagnostics, state.SourcePath)!;
        state.Samples = DatasetLoader.Load(state.Options, layout, state.Preprocessing, state.Diagnostics);
        if (state.Diagnostics.HasErrors)
        {
            return false;
        }

        if (state.Samples.Count == 0)
        {
            state.Diagnostics.Add(CompilerDiagnostics.DatasetFile.Create("the dataset holds no usable sample (.bmp/.png/.jpg/.npy/.pb)", state.SourcePath));
            return false;
        }

        (state.Samples, state.AccuracySamples, state.AccuracyData) = HeldOutSplit.Split(state.Samples, fromDataset: state.Options.Dataset.Count > 0);
        return true;
    }
}
