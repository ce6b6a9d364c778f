using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// <see cref="DepthwiseRangeSplit"/> before calibration: the per-channel ranges of the candidate chains come from a float
/// run of the first <see cref="Samples"/> calibration samples; when a chain is rewritten, the graph is lowered again, so
/// calibration sees the final graph and only models with such chains pay for the extra run.
/// </summary>
internal sealed class SplitDepthwiseRanges : ICompileStage
{
    public static readonly SplitDepthwiseRanges Instance = new();

    /// <summary>Samples the split decision looks at.</summary>
    public const int Samples = 8;

    public string Name => "split-depthwise-channel-ranges";

    public string Summary => "conv → activation → depthwise conv chains whose channel ranges differ > 2× (and the split cuts the noise 16×) → channel groups of similar range "
        + "(each its own uint8 range) joined by a Concat, the permutation folded into the convs reading it; then lower again";

    public bool Run(CompileState state)
    {
        var candidates = DepthwiseRangeSplit.Candidates(state.Graph);
        if (candidates.Count == 0)
        {
            return true;
        }

        var stats = RewriteBeforeCalibration.Statistics(state, candidates, Samples);
        if (DepthwiseRangeSplit.Run(state.Graph, stats, state.Diagnostics) == 0)
        {
            return true;
        }

        return RewriteBeforeCalibration.LowerAgain(state, LoadCalibrationData.Instance, this);
    }
}
