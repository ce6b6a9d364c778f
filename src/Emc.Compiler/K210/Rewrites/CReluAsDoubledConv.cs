using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// CReLU after a conv (FaceBoxes, SeetaFace's detector): <c>Relu(Concat(y, −y))</c> with <c>y = Conv(x, W, b)</c> read by
/// nothing else becomes <c>Relu(Conv(x, [W; −W], [b; −b]))</c> — the same float values (negation is exact in IEEE
/// arithmetic), computed by one KPU conv with twice the output channels instead of a negation table, two requantizes into
/// a shared concat range and a ReLU table on the CPU, each a rounding of its own.
/// </summary>
internal static class CReluAsDoubledConv
{
    /// <summary>Rewrites every match; returns how many.</summary>
    public static int Run(Ir.Graph graph)
    {
        int applied = 0;
        foreach (var concat in graph.Nodes.Where(n => n.OpType == "Concat" && n.Domain.Length == 0).ToList())
        {
            if (Match(graph, concat) is { } m)
            {
                Apply(graph, m.Conv, m.Negation, concat, m.NegatedFirst);
                applied++;
            }
        }

        return applied;
    }

    private static (Node Conv, Node Negation, bool NegatedFirst)? Match(Ir.Graph graph, Node concat)
    {
        if (concat.Inputs.Count != 2 || concat.Inputs.Any(v => v is null || graph.Outputs.Contains(v)) || concat.Outputs[0] is not { Shape.Rank: 4 } joined
            || AxisOf(concat) is not (1 or -3) || joined.Consumers is not [{ OpType: "Relu" }] || graph.Outputs.Contains(joined))
        {
            return null;
        }

        for (int negatedAt = 0; negatedAt < 2; negatedAt++)
        {
            var y = concat.Inputs[1 - negatedAt]!;
            var negated = concat.Inputs[negatedAt]!;
            if (negated.Producer is { } negation && IsNegationOf(negation, y) && negated.Consumers.Count == 1
                && y.Producer is { OpType: "Conv", Domain: "" } conv && y.Consumers.Count == 2 && y.Consumers.Contains(negation)
                && conv.Inputs.Count >= 2 && conv.Inputs[1]?.Constant is { Shape.Rank: 4 } && (conv.Inputs.Count < 3 || conv.Inputs[2] is null || conv.Inputs[2]!.Constant is not null)
                && Group(conv) == 1)
            {
                return (conv, negation, negatedAt == 0);
            }
        }

        return null;
    }

    private static void Apply(Ir.Graph graph, Node conv, Node negation, Node concat, bool negatedFirst)
    {
        var w = conv.Inputs[1]!.Constant!;
        var weights = w.ToFloatArray();
        int oc = w.Shape[0];
        var bias = conv.Inputs.Count > 2 && conv.Inputs[2]?.Constant is { } b ? b.ToFloatArray() : new float[oc];
        var (firstW, secondW) = negatedFirst ? (Negated(weights), weights) : (weights, Negated(weights));
        var (firstB, secondB) = negatedFirst ? (Negated(bias), bias) : (bias, Negated(bias));
        var weightShape = new Shape([2 * oc, .. w.Shape.ToArray()[1..]]);
        var biasShape = new Shape([2 * oc]);
        var doubledW = new Value(conv.Name + "_crelu_weights", DataType.Float32, weightShape) { Constant = Tensor.Create(weightShape, [.. firstW, .. secondW]) };
        var doubledB = new Value(conv.Name + "_crelu_bias", DataType.Float32, biasShape) { Constant = Tensor.Create(biasShape, [.. firstB, .. secondB]) };

        var x = conv.Inputs[0]!;
        int at = graph.Nodes.IndexOf(conv);
        foreach (var node in new[] { conv, negation, concat })
        {
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                node.ReplaceInput(i, null);
            }

            graph.Nodes.Remove(node);
        }

        var doubled = new Node(conv.Name, "Conv", "", [x, doubledW, doubledB], [concat.Outputs[0]], conv.Attributes);
        graph.Nodes.Insert(Math.Min(at, graph.Nodes.Count), doubled);
        if (!NodeInference.TryInfer(graph, doubled, new DiagnosticBag()))
        {
            throw new InvalidOperationException($"{doubled}: shape inference failed after doubling a conv for CReLU");
        }
    }

    private static bool IsNegationOf(Node node, Value y) => node switch
    {
        { OpType: "Neg", Domain: "" } => node.Inputs[0] == y,
        { OpType: "Sub", Domain: "" } => node.Inputs.Count == 2 && node.Inputs[1] == y && IsScalar(node.Inputs[0], 0),
        { OpType: "Mul", Domain: "" } => node.Inputs.Count == 2 && ((node.Inputs[0] == y && IsScalar(node.Inputs[1], -1)) || (node.Inputs[1] == y && IsScalar(node.Inputs[0], -1))),
        _ => false,
    };

    private static bool IsScalar(Value? v, float value) => v?.Constant is { } c && c.Shape.ElementCount == 1 && c.ToFloatArray()[0] == value;

    private static long AxisOf(Node concat) => concat.Attributes.TryGetValue("axis", out var a) ? a.Int : 1;

    private static long Group(Node conv) => conv.Attributes.TryGetValue("group", out var g) ? g.Int : 1;

    private static float[] Negated(float[] values) => [.. values.Select(v => -v)];
}
