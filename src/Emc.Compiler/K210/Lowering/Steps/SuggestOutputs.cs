using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>
/// When every lowering error lies in a tail of the graph, says which <c>--outputs</c> would compile the rest: the
/// tensors that lowered and feed the first failing nodes (plus the graph outputs that lowered). The host then runs
/// the tail on the kmodel's dequantized outputs.
/// </summary>
internal sealed class SuggestOutputs : ILoweringStep
{
    public static readonly SuggestOutputs Instance = new();

    public string Name => "suggest-outputs";

    public string Summary => "when only a tail of the graph fails to lower, an EMC0521 note names the --outputs that compile the rest";

    public bool Run(LoweringContext ctx)
    {
        if (!ctx.Diagnostics.HasErrors || ctx.Options.Outputs is not null)
        {
            return true;
        }

        var graph = ctx.Graph;
        var failedNodes = graph.Nodes.Where(n => !ctx.IsConsumed(n) && n.Outputs.Any(o => ctx.Slot(o).Failed)).ToHashSet();
        var errorNodes = ctx.Diagnostics.Where(d => d.IsError).Select(d => d.NodeName).ToList();
        if (failedNodes.Count == 0 || errorNodes.Any(n => n is null || !failedNodes.Any(f => f.Name == n)))
        {
            return true; // an error that is not a failed node (input, limits): cutting the graph would not help
        }

        var cut = new List<Value>();
        foreach (var node in graph.Nodes.Where(failedNodes.Contains))
        {
            foreach (var input in node.Inputs)
            {
                if (input is { IsConstant: false } && !ctx.Slot(input).Failed && !cut.Contains(input))
                {
                    cut.Add(input);
                }
            }
        }

        foreach (var output in graph.Outputs.Where(o => !o.IsConstant && !ctx.Slot(o).Failed && !cut.Contains(o)))
        {
            cut.Add(output);
        }

        // The input can be passed through for a tail that reads it, beside something the device computes.
        if (cut.Count == 0 || cut.All(v => v == ctx.DeviceInputValue)
            || cut.Any(v => (graph.Inputs.Contains(v) || v == ctx.DeviceInputValue) && !BindGraphOutputs.CanOutputInput(ctx, v)))
        {
            return true;
        }

        ctx.SuggestedOutputs = cut.Select(v => v.Name).ToList();
        string names = string.Join(",", ctx.SuggestedOutputs);
        var tailOps = failedNodes.Select(n => n.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        ctx.Diagnostics.Add(CompilerDiagnostics.OutputsSuggestion.Create(
            $"every error above is in the graph's tail ({failedNodes.Count} nodes: {string.Join(", ", tailOps)}); compile the rest with --outputs {names} (MSBuild: Outputs=\"{names}\") and run the tail on the host from the kmodel's float outputs",
            graph.SourcePath));
        return true;
    }
}
