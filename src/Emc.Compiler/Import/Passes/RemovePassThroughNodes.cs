using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.Import.Passes;

/// <summary>
/// Removes Identity and inference-mode Dropout nodes: their consumers read the input instead. When the removed node's
/// output is a graph output, the input's producer is made to produce that output directly, so graph output names
/// survive; where that is impossible (the input is a graph input, a constant or another graph output) the node stays.
/// </summary>
internal sealed class RemovePassThroughNodes : IGraphPass
{
    public static readonly RemovePassThroughNodes Instance = new();

    public string Name => "remove-pass-through-nodes";

    public string Summary => "Identity and inference Dropout nodes are removed; their consumers read the input (graph output names survive)";

    public int Run(Graph graph)
    {
        int removed = 0;
        var graphOutputs = new HashSet<Value>(graph.Outputs);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (!IsPassThrough(node, graphOutputs) || node.Inputs[0] is not { } x)
            {
                continue;
            }

            var y = node.Outputs[0];
            if (graphOutputs.Contains(y))
            {
                if (x.Producer is not { } producer || graphOutputs.Contains(x) || x.IsConstant)
                {
                    continue;
                }

                int slot = IndexOf(producer.Outputs, x);
                producer.ReplaceOutput(slot, y);
                Redirect(x, y, except: node);
            }
            else
            {
                Redirect(y, x, except: null);
            }

            node.ReplaceInput(0, null);
            graph.Nodes.RemoveAt(i);
            i--;
            removed++;
        }

        return removed;
    }

    private static bool IsPassThrough(Node node, HashSet<Value> graphOutputs)
    {
        if (node.Domain.Length != 0 || node.Inputs.Count == 0)
        {
            return false;
        }

        return node.OpType switch
        {
            "Identity" => true,
            // Inference Dropout is the identity; its mask output must be unused for the node to go.
            "Dropout" => node.Outputs.Skip(1).All(o => o.Consumers.Count == 0 && !graphOutputs.Contains(o)),
            _ => false,
        };
    }

    /// <summary>Every consumer of <paramref name="from"/> (but <paramref name="except"/>) reads <paramref name="to"/> instead.</summary>
    private static void Redirect(Value from, Value to, Node? except)
    {
        foreach (var consumer in from.Consumers.ToArray())
        {
            if (consumer == except)
            {
                continue;
            }

            for (int k = 0; k < consumer.Inputs.Count; k++)
            {
                if (consumer.Inputs[k] == from)
                {
                    consumer.ReplaceInput(k, to);
                }
            }
        }
    }

    private static int IndexOf(IReadOnlyList<Value> values, Value value)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
