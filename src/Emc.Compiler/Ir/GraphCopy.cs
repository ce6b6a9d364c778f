namespace Emc.Compiler.Ir;

/// <summary>A structural copy of a graph: new nodes and values (names, types, shapes, attributes, operators and
/// parameters as they are), sharing the constant tensors and parameter records, which passes replace rather than
/// modify. Rewriting the copy leaves the original as it was.</summary>
internal static class GraphCopy
{
    public static Graph Of(Graph graph)
    {
        var copy = new Graph(graph.SourcePath, graph.OpsetVersion);
        var values = new Dictionary<Value, Value>();
        Value Map(Value v)
        {
            if (!values.TryGetValue(v, out var mapped))
            {
                mapped = new Value(v.Name, v.Type, v.Shape) { Constant = v.Constant };
                values.Add(v, mapped);
            }

            return mapped;
        }

        copy.Inputs.AddRange(graph.Inputs.Select(Map));
        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Select(v => v is null ? null : Map(v)).ToList();
            var outputs = node.Outputs.Select(Map).ToList();
            copy.Nodes.Add(new Node(node.Name, node.OpType, node.Domain, inputs, outputs, node.Attributes)
            {
                Operator = node.Operator,
                Parameters = node.Parameters,
            });
        }

        copy.Outputs.AddRange(graph.Outputs.Select(Map));
        foreach (var (name, count) in graph.PassLog.Counts)
        {
            copy.PassLog.Record(name, count);
        }

        foreach (var (key, value) in graph.Metadata)
        {
            copy.Metadata[key] = value;
        }

        return copy;
    }
}
