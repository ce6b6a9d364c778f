using Emc.Compiler.Ir;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Runs the float evaluator over the samples and collects histograms of every tensor a range is chosen for.</summary>
internal sealed class Calibrate : ICompileStage
{
    public static readonly Calibrate Instance = new();

    public string Name => "calibrate";

    public string Summary => "float evaluation of the calibration samples → per-tensor histogram statistics";

    public bool Run(CompileState state)
    {
        var inputShape = state.Graph.Inputs[0].Shape!;
        int count = state.Samples.Count;
        state.Statistics = Calibrator.Collect(
            state.Graph,
            QuantizationResolver.RangeSources(state.Model!),
            state.Samples.Select(s => (Tensor)Tensor.Create(inputShape, s.ModelInput)),
            progress: n => state.Progress?.Invoke($"calibration {n}/{count}"));
        return true;
    }
}
