using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Steps;
using Emc.Compiler.Passes;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Lowers a float IR graph (batch 1, NCHW) to K210 layers in execution order by running <see cref="Steps"/>. Every
/// node that cannot be realised gets a diagnostic naming node, op and limit; lowering continues so all problems
/// surface in one pass.
/// </summary>
internal static class GraphLowering
{
    /// <summary>The whole-graph lowering steps, in order.</summary>
    internal static IReadOnlyList<ILoweringStep> Steps { get; } =
    [
        CheckGraphInput.Instance,
        FoldInputLayout.Instance,
        FoldInputNormalization.Instance,
        BindDeviceInput.Instance,
        LowerNodes.Instance,
        BindGraphOutputs.Instance,
        CheckFirstLayer.Instance,
        CheckKpuLimits.Instance,
        SuggestOutputs.Instance,
    ];

    public static K210Model? Lower(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics) =>
        Lower(graph, options, diagnostics, new PassLog());

    /// <summary>Lowers, recording in <paramref name="log"/> how often each step, lowering and fusion applied.</summary>
    public static K210Model? Lower(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, PassLog log) =>
        Lower(graph, options, diagnostics, log, out _);

    /// <summary>Lowers; when every error lies in the graph's tail, <paramref name="suggestedOutputs"/> names the tensors
    /// that would compile (see <see cref="Steps.SuggestOutputs"/>).</summary>
    public static K210Model? Lower(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, PassLog log, out IReadOnlyList<string>? suggestedOutputs)
    {
        var ctx = new LoweringContext(graph, options, diagnostics, log);
        suggestedOutputs = null;
        foreach (var step in Steps)
        {
            log.Record(step);
            if (!step.Run(ctx))
            {
                return null;
            }
        }

        suggestedOutputs = ctx.SuggestedOutputs;
        return diagnostics.HasErrors ? null : ctx.Model;
    }
}
