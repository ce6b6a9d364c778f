namespace Emc.Compiler.Ir;

/// <summary>
/// A model as the compiler sees it: float32 NCHW, batch 1, every shape static, nodes in topological order.
/// </summary>
public sealed class Graph
{
    public Graph(string? sourcePath, long opsetVersion)
    {
        SourcePath = sourcePath;
        OpsetVersion = opsetVersion;
    }

    /// <summary>The model file the graph came from (diagnostics name it).</summary>
    public string? SourcePath { get; }

    /// <summary>The default-domain (ai.onnx) opset the model imports.</summary>
    public long OpsetVersion { get; }

    /// <summary>Inputs fed at run time (initializers excluded), in ONNX order.</summary>
    public List<Value> Inputs { get; } = [];

    public List<Value> Outputs { get; } = [];

    /// <summary>Nodes in a valid execution order.</summary>
    public List<Node> Nodes { get; } = [];

    /// <summary>How often each import graph pass changed this graph.</summary>
    public Passes.PassLog PassLog { get; } = new();

    /// <summary>Metadata of the source model (producer, ir version…), for reports.</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>Removes nodes whose outputs nobody reads (and that are not graph outputs).</summary>
    public void RemoveDeadNodes()
    {
        var live = new HashSet<Value>(Outputs);
        for (int i = Nodes.Count - 1; i >= 0; i--)
        {
            var node = Nodes[i];
            if (node.Outputs.Any(live.Contains))
            {
                foreach (var input in node.Inputs)
                {
                    if (input is not null)
                    {
                        live.Add(input);
                    }
                }
            }
            else
            {
                for (int k = 0; k < node.Inputs.Count; k++)
                {
                    node.Inputs[k]?.Consumers.Remove(node);
                }

                Nodes.RemoveAt(i);
            }
        }
    }
}
