using Emc.Compiler.Ir;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>What the stages that rewrite the graph between the first lowering and calibration share: statistics of a few
/// values over the first calibration samples, and lowering the rewritten graph again.</summary>
internal static class RewriteBeforeCalibration
{
    /// <summary>Statistics of <paramref name="values"/> from a float run of the first <paramref name="samples"/> calibration
    /// samples (decoded again by calibrate, which reports any unusable file; here one is only skipped).</summary>
    public static Dictionary<Value, TensorStatistics> Statistics(CompileState state, IReadOnlyCollection<Value> values, int samples)
    {
        var inputShape = state.Graph.Inputs[0].Shape!;
        var first = state.Dataset!.Subset(state.Split!.Calibration.Take(samples)).Read(new Emc.Diagnostics.DiagnosticBag());
        return Calibrator.Collect(state.Graph, values, first.Select(s => (Tensor)Tensor.Create(inputShape, s.ModelInput)));
    }

    /// <summary>Lowers the rewritten graph again from the pass log as it was before the first lowering, then records the
    /// stages that ran since (<paramref name="ranSince"/>, in order) as having run.</summary>
    public static bool LowerAgain(CompileState state, params ICompileStage[] ranSince)
    {
        state.Log.Restore(state.LogBeforeLowering!);
        if (!LowerToK210.Instance.Run(state))
        {
            return false;
        }

        foreach (var stage in ranSince)
        {
            state.Log.Record(stage);
        }

        return true;
    }
}
