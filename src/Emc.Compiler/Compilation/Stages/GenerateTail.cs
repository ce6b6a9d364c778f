using System.Globalization;
using Emc.Compiler.CodeGen.Tail;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// With <c>--tail auto</c> after a cut: decides whether the tail select-outputs kept becomes code — the header's
/// <c>&lt;id&gt;_tail</c> and the wrapper's <c>Tail</c> (<see cref="CTailWriter"/>, <see cref="CSharpTailWriter"/>, one
/// <see cref="ITailOpGenerator"/> per op) — and says so (EMC0523), or names the nodes without a generator; then the host
/// runs the tail itself, as before.
/// </summary>
internal sealed class GenerateTail : ICompileStage
{
    public static readonly GenerateTail Instance = new();

    public string Name => "cpu-tail";

    public string Summary => "with --tail auto: the part of the graph after the cut as C99/C# tail code (one generator per op), or EMC0523 naming the ops without one";

    public bool Run(CompileState state)
    {
        if (!state.Options.AutoTail || state.Options.Outputs is null)
        {
            return true;
        }

        var tail = state.Tail;
        var deviceOutputs = state.Graph.Outputs
            .Select(v => new TensorInterface(v.Name, v.Shape!.ToArray(), InterfaceElementType.Float32, 1, 0)).ToList();
        string message;
        if (tail is null)
        {
            message = "no C/C# tail is generated: a graph output depends on the input other than through the cut";
        }
        else if (!tail.IsGenerated)
        {
            message = "no C/C# tail is generated (the host runs it from the kmodel's float outputs): " + string.Join("; ", tail.Unsupported.Take(8))
                + (tail.Unsupported.Count > 8 ? $" and {tail.Unsupported.Count - 8} more" : "")
                + $"; the tail generators cover {string.Join(", ", TailOpGenerators.OpTypes)}";
        }
        else if (TailBufferPlan.Create(tail, deviceOutputs) is null)
        {
            message = "no C/C# tail is generated: the kmodel's outputs do not match the tail's inputs";
        }
        else
        {
            state.GeneratedTail = tail;
            long work = TailCost.MultiplyAdds(tail);
            string cost = work == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                $"; {work:N0} float multiply-adds, about {TailCost.EstimatedMilliseconds(work):0.#} ms on the K210's CPU (docs/cost-model.md)");
            message = $"the generated C header's <name>_tail and C# wrapper's Tail run the tail ({tail.Nodes.Count} nodes: {string.Join(", ", tail.OpTypes)}{cost}) "
                + $"on the kmodel's dequantized outputs and return the model's outputs {string.Join(", ", tail.Outputs.Select(o => $"'{o.Name}'"))}";
        }

        state.Diagnostics.Add(CompilerDiagnostics.TailCode.Create(message, state.SourcePath));
        return true;
    }
}
