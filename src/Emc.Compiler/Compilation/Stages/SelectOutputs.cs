using Emc.Compiler.Ir;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// With <see cref="CompileOptions.Outputs"/>: the named tensors become the graph's outputs, in that order, and the
/// nodes only the old outputs needed are dropped — the device part of a model whose tail the host runs. The dropped
/// part (the tail) is kept in <see cref="CompileState.Tail"/> for <see cref="GenerateTail"/>.
/// </summary>
internal sealed class SelectOutputs : ICompileStage
{
    public static readonly SelectOutputs Instance = new();

    public string Name => "select-outputs";

    public string Summary => "with --outputs / Outputs metadata: the named tensors become the outputs and what only the old outputs needed is dropped";

    public bool Run(CompileState state)
    {
        if (state.Options.Outputs is not { Count: > 0 } names)
        {
            return true;
        }

        var graph = state.Graph;
        var byName = graph.Nodes.SelectMany(n => n.Outputs).Concat(graph.Inputs).GroupBy(v => v.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var selected = new List<Value>();
        foreach (string name in names)
        {
            if (!byName.TryGetValue(name, out var value) || value.IsConstant || value.Type != DataType.Float32 || value.Shape is null)
            {
                string why = value is null ? "no node computes it" : value.IsConstant ? "it is a constant" : "it is not a float32 tensor";
                state.Diagnostics.Add(CompilerDiagnostics.UnknownOutput.Create(
                    $"--outputs names '{name}', but {why}; `emc inspect {Path.GetFileName(graph.SourcePath)}` lists the model's nodes", state.SourcePath));
                continue;
            }

            if (selected.Contains(value))
            {
                state.Diagnostics.Add(CompilerDiagnostics.UnknownOutput.Create($"--outputs names '{name}' twice", state.SourcePath));
                continue;
            }

            selected.Add(value);
        }

        if (state.Diagnostics.HasErrors)
        {
            return false;
        }

        state.Tail = CodeGen.Tail.HostTail.Extract(graph, selected.Select(v => v.Name).ToList());
        graph.Outputs.Clear();
        graph.Outputs.AddRange(selected);
        graph.RemoveDeadNodes();
        return true;
    }
}
