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
    ];

    public static K210Model? Lower(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics) =>
        Lower(graph, options, diagnostics, new PassLog());

    /// <summary>Lowers, recording in <paramref name="log"/> how often each step, lowering and fusion applied.</summary>
    public static K210Model? Lower(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, PassLog log)
    {
        var ctx = new LoweringContext(graph, options, diagnostics, log);
        foreach (var step in Steps)
        {
            log.Record(step);
            if (!step.Run(ctx))
            {
                return null;
            }
        }

        return diagnostics.HasErrors ? null : ctx.Model;
    }
}
