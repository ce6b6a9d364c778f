using Emc.Compiler.Calibration;
using Emc.Compiler.K210.Lowering;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>The dataset's sample list (or the seeded fallback with a warning), split into calibration and accuracy
/// samples (<see cref="HeldOutSplit"/>); calibrate and measure-accuracy decode the samples one at a time.</summary>
internal sealed class LoadCalibrationData : ICompileStage
{
    public static readonly LoadCalibrationData Instance = new();

    public string Name => "load-calibration-data";

    public string Summary => "dataset images / .npy / .pb / raw float32 → the sorted sample list, split into calibration and accuracy samples (decoded one at a time when read)";

    public bool Run(CompileState state)
    {
        var layout = state.Model!.InputLayout ?? InputLayout.Planar(state.Graph.Inputs[0].Shape!);
        state.Preprocessing = InputPreprocessing.FromOptions(state.Options, layout.Channels, state.Diagnostics, state.SourcePath)!;
        state.Dataset = DatasetLoader.Open(state.Options, layout, state.Preprocessing, state.Diagnostics);
        if (state.Diagnostics.HasErrors)
        {
            return false;
        }

        if (state.Dataset.Count == 0)
        {
            state.Diagnostics.Add(CompilerDiagnostics.DatasetFile.Create("the dataset holds no usable sample (.bmp/.png/.jpg/.npy/.pb/.dat/.bin/.f32)", state.SourcePath));
            return false;
        }

        state.Split = HeldOutSplit.Split(state.Dataset.Count, fromDataset: state.Options.Dataset.Count > 0);
        return true;
    }
}
