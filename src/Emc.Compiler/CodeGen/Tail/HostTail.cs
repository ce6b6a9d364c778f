using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>One output of a generated CPU tail: an output of the ONNX graph, row-major in the ONNX order of its shape.</summary>
public sealed record TailTensor(string Name, IReadOnlyList<int> Shape, bool IsInt64)
{
    public long ElementCount => Shape.Aggregate(1L, (product, d) => product * d);
}

/// <summary>
/// The part of the ONNX graph that <c>--tail auto</c> leaves to the CPU: the nodes between the kmodel's outputs (the
/// cut, which the tail reads dequantized to float) and the graph's own outputs. Taken from the graph before the
/// device part is compiled; the header and wrapper generators turn it into C99 and C# (see <see cref="TailCode"/>).
/// When a node has no generator, <see cref="Unsupported"/> says which, and nothing is generated.
/// </summary>
public sealed class HostTail
{
    private HostTail(IReadOnlyList<Value> inputs, IReadOnlyList<Value> outputs, IReadOnlyList<Node> nodes, long opset)
    {
        InputValues = inputs;
        OutputValues = outputs;
        Nodes = nodes;
        Opset = opset;
        Outputs = outputs.Select(v => new TailTensor(v.Name, v.Shape?.ToArray() ?? [], v.Type == DataType.Int64)).ToList();
        Unsupported = TailOpGenerators.Check(this);
    }

    /// <summary>The kmodel outputs the tail reads, in the kmodel's output order.</summary>
    public IReadOnlyList<string> InputNames => InputValues.Select(v => v.Name).ToList();

    /// <summary>The graph's outputs, in the graph's order: what the generated tail function writes.</summary>
    public IReadOnlyList<TailTensor> Outputs { get; }

    /// <summary>Nodes without a code generator ("Conv 'conv_3'"), or why the tail cannot be generated; empty when it is.</summary>
    public IReadOnlyList<string> Unsupported { get; }

    public bool IsGenerated => Unsupported.Count == 0;

    /// <summary>The tail's op types, sorted (for messages).</summary>
    public IReadOnlyList<string> OpTypes => Nodes.Select(n => n.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    internal IReadOnlyList<Value> InputValues { get; }

    internal IReadOnlyList<Value> OutputValues { get; }

    /// <summary>In graph (topological) order.</summary>
    internal IReadOnlyList<Node> Nodes { get; }

    internal long Opset { get; }

    /// <summary>The tail of <paramref name="graph"/> after the tensors named by <paramref name="cut"/>; null when a graph
    /// output depends on a graph input other than through the cut.</summary>
    internal static HostTail? Extract(Graph graph, IReadOnlyList<string> cut)
    {
        var inputs = new List<Value>();
        foreach (string name in cut)
        {
            var value = graph.Nodes.SelectMany(n => n.Outputs).Concat(graph.Inputs).FirstOrDefault(v => v.Name == name);
            if (value is null)
            {
                return null;
            }

            inputs.Add(value);
        }

        var needed = new HashSet<Node>();
        var pending = new Stack<Value>(graph.Outputs);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (inputs.Contains(value) || value.IsConstant)
            {
                continue;
            }

            if (value.Producer is not { } producer)
            {
                return null;
            }

            if (needed.Add(producer))
            {
                foreach (var input in producer.Inputs)
                {
                    if (input is not null)
                    {
                        pending.Push(input);
                    }
                }
            }
        }

        return new HostTail(inputs, [.. graph.Outputs], graph.Nodes.Where(needed.Contains).ToList(), graph.OpsetVersion);
    }
}
