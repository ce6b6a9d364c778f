using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Import;

/// <summary>Checks that every node input is defined and orders the nodes topologically (file order when it is valid).</summary>
internal static class NodeOrdering
{
    /// <returns>Node indices in execution order, or null after reporting undefined inputs, duplicate outputs or a cycle.</returns>
    public static List<int>? Sort(GraphProto graph, IEnumerable<string> predefined, string? path, DiagnosticBag diagnostics)
    {
        var defined = new HashSet<string>(predefined, StringComparer.Ordinal);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        bool ok = true;
        for (int i = 0; i < graph.Node.Count; i++)
        {
            foreach (string output in graph.Node[i].Output)
            {
                if (output.Length == 0)
                {
                    continue;
                }

                if (defined.Contains(output) || !producer.TryAdd(output, i))
                {
                    diagnostics.Add(OnnxDiagnostics.InvalidGraph.Create(
                        $"value '{output}' is defined more than once (node '{NameOf(graph, i)}')", path, NameOf(graph, i), graph.Node[i].OpType));
                    ok = false;
                }
            }
        }

        var pending = new int[graph.Node.Count];
        var dependents = new List<int>?[graph.Node.Count];
        for (int i = 0; i < graph.Node.Count; i++)
        {
            foreach (string input in graph.Node[i].Input)
            {
                if (input.Length == 0 || defined.Contains(input))
                {
                    continue;
                }

                if (producer.TryGetValue(input, out int from))
                {
                    pending[i]++;
                    (dependents[from] ??= []).Add(i);
                }
                else
                {
                    diagnostics.Add(OnnxDiagnostics.InvalidGraph.Create(
                        $"node '{NameOf(graph, i)}' ({graph.Node[i].OpType}) reads '{input}', which no node, graph input or initializer defines",
                        path, NameOf(graph, i), graph.Node[i].OpType));
                    ok = false;
                }
            }
        }

        if (!ok)
        {
            return null;
        }

        // Kahn's algorithm, always taking the ready node that comes first in the file.
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < pending.Length; i++)
        {
            if (pending[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<int>(graph.Node.Count);
        while (ready.TryDequeue(out int next, out _))
        {
            order.Add(next);
            foreach (int d in dependents[next] ?? [])
            {
                if (--pending[d] == 0)
                {
                    ready.Enqueue(d, d);
                }
            }
        }

        if (order.Count < graph.Node.Count)
        {
            var stuck = Enumerable.Range(0, pending.Length).Where(i => pending[i] > 0).Select(i => $"'{NameOf(graph, i)}'").Take(10);
            diagnostics.Add(OnnxDiagnostics.InvalidGraph.Create($"the graph has a cycle through nodes {string.Join(", ", stuck)}", path));
            return null;
        }

        return order;
    }

    private static string NameOf(GraphProto graph, int index) =>
        graph.Node[index].Name is { Length: > 0 } name ? name : $"{graph.Node[index].OpType}_{index}";
}
