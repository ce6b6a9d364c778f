using Emc.Compiler.CodeGen.Tail;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Evaluation;

/// <summary>
/// Runs a <see cref="HostTail"/> in float from the values of its cut (e.g. the device outputs, dequantized): what the
/// host computes after the kmodel, with the evaluator's operators, so a whole model with a tail can be measured
/// against ONNX Runtime's outputs.
/// </summary>
internal static class TailEvaluator
{
    /// <summary>The graph's outputs; <paramref name="cut"/> holds the tail's inputs in <see cref="HostTail.InputNames"/> order.</summary>
    public static IReadOnlyList<Tensor> Run(HostTail tail, IReadOnlyList<Tensor> cut)
    {
        ArgumentNullException.ThrowIfNull(tail);
        ArgumentNullException.ThrowIfNull(cut);
        if (cut.Count != tail.InputValues.Count)
        {
            throw new ArgumentException($"the tail reads {tail.InputValues.Count} tensors, {cut.Count} were given", nameof(cut));
        }

        var values = new Dictionary<Value, Tensor>();
        for (int i = 0; i < cut.Count; i++)
        {
            if (!cut[i].Shape.Equals(tail.InputValues[i].Shape))
            {
                throw new ArgumentException($"'{tail.InputValues[i].Name}' has shape {tail.InputValues[i].Shape}, was given {cut[i].Shape}", nameof(cut));
            }

            values[tail.InputValues[i]] = cut[i];
        }

        var workspace = new Workspace();
        foreach (var node in tail.Nodes)
        {
            var inputs = node.Inputs.Select(v => v is null ? null : v.Constant ?? values[v]).ToArray();
            var outputs = node.Outputs.Select(v => Tensor.Zeros(v.Type, v.Shape!)).ToArray();
            node.Operator!.Evaluate(new EvaluationContext(node, inputs, outputs, workspace));
            for (int k = 0; k < outputs.Length; k++)
            {
                values[node.Outputs[k]] = outputs[k];
            }
        }

        return tail.OutputValues.Select(v => v.Constant ?? values[v]).ToList();
    }
}
