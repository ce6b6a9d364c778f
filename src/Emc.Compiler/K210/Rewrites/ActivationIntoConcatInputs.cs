using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// An activation after a Concat (Relu, Clip, LeakyRelu: element-wise, so it commutes with joining) moves onto the Concat's
/// inputs when each of them is read by the Concat alone: <c>Relu(Concat(a, b))</c> → <c>Concat(Relu(a), Relu(b))</c>, the
/// same float values. Each activation then fuses into the conv that produces its input (the KPU's activation stage)
/// instead of a CPU table over the joined map with a rounding of its own (issue 16 item 5).
/// </summary>
internal static class ActivationIntoConcatInputs
{
    private static readonly HashSet<string> s_activations = new(StringComparer.Ordinal) { "Relu", "Clip", "LeakyRelu" };

    /// <summary>Rewrites every match; returns how many.</summary>
    public static int Run(Ir.Graph graph)
    {
        int applied = 0;
        foreach (var activation in graph.Nodes.Where(n => s_activations.Contains(n.OpType) && n.Domain.Length == 0).ToList())
        {
            if (activation.Inputs[0] is { Producer: { OpType: "Concat", Domain: "" } concat } joined && joined.Consumers.Count == 1
                && !graph.Outputs.Contains(joined) && activation.Inputs.Skip(1).All(v => v is null || v.IsConstant)
                && concat.Inputs.All(v => v is { Consumers.Count: 1 } && !graph.Outputs.Contains(v) && !v.IsConstant)
                && concat.Inputs.Distinct().Count() == concat.Inputs.Count)
            {
                Apply(graph, activation, concat);
                applied++;
            }
        }

        return applied;
    }

    private static void Apply(Ir.Graph graph, Node activation, Node concat)
    {
        var output = activation.Outputs[0];
        var parameters = activation.Inputs.Skip(1).ToList();
        int at = graph.Nodes.IndexOf(concat);
        var moved = new List<Node>();
        for (int i = 0; i < concat.Inputs.Count; i++)
        {
            var input = concat.Inputs[i]!;
            var activated = new Value($"{input.Name}_{activation.OpType.ToLowerInvariant()}", input.Type);
            moved.Add(new Node($"{activation.Name}_{i}", activation.OpType, "", [input, .. parameters], [activated], activation.Attributes));
            concat.ReplaceInput(i, activated);
        }

        // The concat now produces the activation's output.
        for (int i = 0; i < activation.Inputs.Count; i++)
        {
            activation.ReplaceInput(i, null);
        }

        graph.Nodes.Remove(activation);
        concat.ReplaceOutput(0, output);
        graph.Nodes.InsertRange(at, moved);
        foreach (var node in moved.Append(concat))
        {
            if (!NodeInference.TryInfer(graph, node, new DiagnosticBag()))
            {
                throw new InvalidOperationException($"{node}: shape inference failed after moving {activation} onto the inputs of {concat}");
            }
        }
    }
}
