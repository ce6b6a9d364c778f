using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// A Softmax over two classes per pixel (MTCNN P-Net's face/no-face map; kmodel v3's SOFTMAX takes one vector, not a map)
/// whose logits (a, b) are a conv's two output channels — directly or through Transposes that move that axis — becomes
/// a Sigmoid of the same conv with weights [W_a − W_b; W_b − W_a] and biases [b_a − b_b; b_b − b_a]: e^a/(e^a + e^b) =
/// σ(a − b). Mathematically the same values (the float results differ by rounding only), and the device computes them:
/// a KPU conv and a 256-entry table instead of a CPU tail.
/// </summary>
internal static class PairwiseSoftmaxAsSigmoid
{
    /// <summary>Rewrites every match; returns how many.</summary>
    public static int Run(Ir.Graph graph)
    {
        int applied = 0;
        foreach (var softmax in graph.Nodes.Where(n => n.OpType == "Softmax" && n.Domain.Length == 0).ToList())
        {
            if (Match(graph, softmax) is { } conv)
            {
                Apply(graph, conv, softmax);
                applied++;
            }
        }

        return applied;
    }

    private static Node? Match(Ir.Graph graph, Node softmax)
    {
        if (softmax.Inputs is not [{ Shape: { } shape } x] || shape.Rank < 2)
        {
            return null;
        }

        long attribute = softmax.Attributes.TryGetValue("axis", out var a) ? a.Int : graph.OpsetVersion < 13 ? 1 : -1;
        int axis = (int)(attribute < 0 ? attribute + shape.Rank : attribute);
        if (axis < 0 || axis >= shape.Rank || shape[axis] != 2)
        {
            return null;
        }

        // Before opset 13 Softmax normalises over every axis from `axis` on: the same only when the others are 1.
        if (graph.OpsetVersion < 13 && Enumerable.Range(axis + 1, shape.Rank - axis - 1).Any(i => shape[i] != 1))
        {
            return null;
        }

        var v = x;
        while (v.Producer is { OpType: "Transpose", Domain: "" } transpose && Single(graph, v)
            && transpose.Attributes.TryGetValue("perm", out var perm) && perm.Ints.Length == v.Shape!.Rank)
        {
            axis = (int)perm.Ints[axis];
            v = transpose.Inputs[0]!;
        }

        return v.Producer is { OpType: "Conv", Domain: "" } conv && Single(graph, v) && axis == 1 && v.Shape is { Rank: 4 } s && s[1] == 2
            && conv.Inputs.Count >= 2 && conv.Inputs[1]?.Constant is { Shape.Rank: 4 }
            && (conv.Inputs.Count < 3 || conv.Inputs[2] is null || conv.Inputs[2]!.Constant is not null)
            && (!conv.Attributes.TryGetValue("group", out var g) || g.Int == 1)
            ? conv
            : null;
    }

    private static bool Single(Ir.Graph graph, Value v) => v.Consumers.Count == 1 && !graph.Outputs.Contains(v);

    private static void Apply(Ir.Graph graph, Node conv, Node softmax)
    {
        var w = conv.Inputs[1]!.Constant!;
        var weights = w.ToFloatArray();
        int per = weights.Length / 2;
        var bias = conv.Inputs.Count > 2 && conv.Inputs[2]?.Constant is { } b ? b.ToFloatArray() : new float[2];
        var differences = new float[weights.Length];
        for (int i = 0; i < per; i++)
        {
            differences[i] = weights[i] - weights[per + i];
            differences[per + i] = weights[per + i] - weights[i];
        }

        var weightValue = new Value(conv.Name + "_pairwise_weights", DataType.Float32, w.Shape) { Constant = Tensor.Create(w.Shape, differences) };
        var biasShape = new Shape([2]);
        var biasValue = new Value(conv.Name + "_pairwise_bias", DataType.Float32, biasShape)
        {
            Constant = Tensor.Create(biasShape, new[] { bias[0] - bias[1], bias[1] - bias[0] }),
        };
        conv.ReplaceInput(1, weightValue);
        if (conv.Inputs.Count > 2)
        {
            conv.ReplaceInput(2, biasValue);
        }
        else
        {
            var x = conv.Inputs[0]!;
            var output = conv.Outputs[0];
            int at = graph.Nodes.IndexOf(conv);
            conv.ReplaceInput(0, null);
            conv.ReplaceInput(1, null);
            graph.Nodes.RemoveAt(at);
            conv = new Node(conv.Name, "Conv", "", [x, weightValue, biasValue], [output], conv.Attributes);
            graph.Nodes.Insert(at, conv);
            Infer(graph, conv);
        }

        int index = graph.Nodes.IndexOf(softmax);
        var input = softmax.Inputs[0]!;
        var result = softmax.Outputs[0];
        softmax.ReplaceInput(0, null);
        graph.Nodes.RemoveAt(index);
        var sigmoid = new Node(softmax.Name, "Sigmoid", "", [input], [result], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal));
        graph.Nodes.Insert(index, sigmoid);
        Infer(graph, sigmoid);
    }

    private static void Infer(Ir.Graph graph, Node node)
    {
        if (!NodeInference.TryInfer(graph, node, new DiagnosticBag()))
        {
            throw new InvalidOperationException($"{node}: shape inference failed after rewriting a pairwise Softmax");
        }
    }
}
