using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// <see cref="DepthwiseRangeSplit"/> on the calibrated graph; when it rewrites a chain, the graph is lowered and
/// calibrated again (the samples stay), so only models with such chains pay for it.
/// </summary>
internal sealed class SplitDepthwiseRanges : ICompileStage
{
    public static readonly SplitDepthwiseRanges Instance = new();

    public string Name => "split-depthwise-channel-ranges";

    public string Summary => "conv → activation → depthwise conv chains whose channel ranges differ > 2× (and the split cuts the noise 16×) → channel groups of similar range "
        + "(each its own uint8 range) joined by a Concat, the permutation folded into the convs reading it; then lower and calibrate again";

    public bool Run(CompileState state)
    {
        if (DepthwiseRangeSplit.Run(state.Graph, state.Statistics!, state.Diagnostics) == 0)
        {
            return true;
        }

        state.Log.Restore(state.LogBeforeLowering!);
        if (!LowerToK210.Instance.Run(state))
        {
            return false;
        }

        state.Log.Record(LoadCalibrationData.Instance);
        state.Log.Record(Calibrate.Instance);
        state.Log.Record(this);
        return Calibrate.Instance.Run(state);
    }
}
