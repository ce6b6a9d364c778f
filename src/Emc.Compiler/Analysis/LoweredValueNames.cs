using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.Analysis;

/// <summary>The IR value a lowered tensor's name ("value[.suffix]#n") refers to.</summary>
internal sealed class LoweredValueNames(Ir.Graph graph)
{
    private const string StackShiftedWindowsSuffix = ".windows";

    private readonly Dictionary<string, Ir.Value> _values = graph.Nodes.SelectMany(n => n.Outputs).Concat(graph.Inputs)
        .GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The value <paramref name="t"/> holds, or null: no value of its name, or shifted copies of a conv's input
    /// (StackShiftedWindows: "&lt;output&gt;.windows…"), which are named after the conv's output but hold its input.</summary>
    public Ir.Value? ValueHeldBy(K210Tensor t) =>
        ValueOf(t.Name) is { } value && !t.Name.AsSpan(value.Name.Length).StartsWith(StackShiftedWindowsSuffix, StringComparison.Ordinal) ? value : null;

    private Ir.Value? ValueOf(string tensorName)
    {
        int hash = tensorName.LastIndexOf('#');
        string name = hash >= 0 ? tensorName[..hash] : tensorName;
        while (true)
        {
            if (_values.TryGetValue(name, out var v))
            {
                return v;
            }

            int dot = name.LastIndexOf('.');
            if (dot <= 0)
            {
                return null;
            }

            name = name[..dot];
        }
    }
}
