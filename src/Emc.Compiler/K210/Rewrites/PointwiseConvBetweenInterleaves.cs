using Emc.Compiler.Ir;
using Emc.Compiler.Ops;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// Two kernel-2 stride-2 ConvTransposes in a row (DBNet's head: 56×80 → 112×160 → 224×320) become, after
/// <see cref="ConvTransposeAsPhaseConv"/>, DepthToSpace(s₁) → 1×1 Conv → element-wise ops → DepthToSpace(s₂). A 1×1 conv
/// and element-wise ops act on each pixel alone, so they commute with the first interleave: the conv runs on the
/// first phases (input channel (c, a₁, b₁) → output channel (o, A, B) with A = s₂·a₁ + a₂, weights W[(o, a₂, b₂), c],
/// zero across phases) and one DepthToSpace(s₁·s₂) places every pixel. The middle map (24×112×160 in DBNet) is never
/// interleaved: one interleave of the small final map instead of two. The same products (plus zero terms), so the
/// float values agree up to summation order, and the device computes the same integer sums from the same uint8 phases.
/// </summary>
internal static class PointwiseConvBetweenInterleaves
{
    public static int Run(Ir.Graph graph, DiagnosticBag diagnostics)
    {
        int applied = 0;
        foreach (var first in graph.Nodes.Where(n => n.OpType == "DepthToSpace").ToList())
        {
            if (Match(graph, first) is { } match)
            {
                Apply(graph, first, match.Conv, match.Chain, match.Second, diagnostics);
                applied++;
            }
        }

        return applied;
    }

    private static (Node Conv, List<Node> Chain, Node Second)? Match(Ir.Graph graph, Node first)
    {
        if (first.Parameters is not DepthToSpaceParameters { ColumnRowDepth: true } || Sole(graph, first.Outputs[0]) is not { OpType: "Conv" } conv
            || conv.Parameters is not ConvParameters { Geometry: { IsPointwise: true, Group: 1 } } || conv.Inputs[1]?.Constant is null
            || (conv.Inputs.Count > 2 && conv.Inputs[2] is { Constant: null }))
        {
            return null;
        }

        var chain = new List<Node>();
        var v = conv.Outputs[0];
        int channels = conv.Outputs[0].Shape![1];
        while (Sole(graph, v) is { } next && Elementwise(next, channels))
        {
            chain.Add(next);
            v = next.Outputs[0];
        }

        return Sole(graph, v) is { OpType: "DepthToSpace", Parameters: DepthToSpaceParameters { ColumnRowDepth: true } } second ? (conv, chain, second) : null;
    }

    /// <summary>An element-wise op whose constants are scalars or one value per channel (BatchNormalization's four,
    /// or a [1, C, 1, 1] operand of Add/Sub/Mul/Div).</summary>
    private static bool Elementwise(Node node, int channels) => node.OpType switch
    {
        "Relu" or "Sigmoid" or "LeakyRelu" => node.Inputs.Count == 1,
        "Clip" => node.Inputs.Skip(1).All(i => i is null || i.Constant is { Shape.ElementCount: 1 }),
        "BatchNormalization" => node.Outputs.Count == 1 && node.Inputs.Count == 5 && node.Inputs.Skip(1).All(i => i?.Constant is { Shape.Rank: 1 } t && t.Shape[0] == channels),
        "Add" or "Sub" or "Mul" or "Div" => node.Inputs.Count == 2 && node.Inputs[1]?.Constant is { } t
            && (t.Shape.ElementCount == 1 || t.Shape.ToArray() is [1, var c, 1, 1] && c == channels),
        _ => false,
    };

    /// <summary>A per-channel constant for the merged conv's channels: new channel i takes old channel source[i].</summary>
    private static Value Remapped(Value constant, int[] source)
    {
        var values = constant.Constant!.ToFloatArray();
        var shape = constant.Shape!.Rank == 1 ? new Shape([source.Length]) : new Shape([1, source.Length, 1, 1]);
        return new Value(constant.Name + "_merged", DataType.Float32, shape) { Constant = Tensor.Create(shape, source.Select(i => values[i]).ToArray()) };
    }

    private static Node? Sole(Ir.Graph graph, Value value) =>
        value.Consumers.Count == 1 && !graph.Outputs.Contains(value) && value.Consumers[0].Inputs[0] == value ? value.Consumers[0] : null;

    private static void Apply(Ir.Graph graph, Node first, Node conv, List<Node> chain, Node second, DiagnosticBag diagnostics)
    {
        int s1 = ((DepthToSpaceParameters)first.Parameters!).BlockSize, s2 = ((DepthToSpaceParameters)second.Parameters!).BlockSize, s = s1 * s2;
        var phases = first.Inputs[0]!;
        int c = phases.Shape![1] / (s1 * s1), outputs = conv.Outputs[0].Shape![1], o2 = outputs / (s2 * s2);
        var w = conv.Inputs[1]!.Constant!.ToFloatArray();
        var bias = conv.Inputs.Count > 2 && conv.Inputs[2] is { } b ? b.Constant!.ToFloatArray() : null;

        // Output channel (o, A, B) in CRD order for block s: o·s² + A·s + B, A = s₂·a₁ + a₂, B = s₂·b₁ + b₂.
        int inChannels = c * s1 * s1, outChannels = o2 * s * s;
        var weights = new float[outChannels * inChannels];
        var newBias = new float[outChannels];
        var source = new int[outChannels]; // the old output channel (o, a₂, b₂) each new channel repeats
        for (int o = 0; o < o2; o++)
        {
            for (int a1 = 0; a1 < s1; a1++)
            {
                for (int b1 = 0; b1 < s1; b1++)
                {
                    for (int a2 = 0; a2 < s2; a2++)
                    {
                        for (int b2 = 0; b2 < s2; b2++)
                        {
                            int row = (o * s2 * s2) + (a2 * s2) + b2;
                            int channel = (o * s * s) + (((s2 * a1) + a2) * s) + (s2 * b1) + b2;
                            newBias[channel] = bias?[row] ?? 0;
                            source[channel] = row;
                            for (int ch = 0; ch < c; ch++)
                            {
                                weights[(channel * inChannels) + (ch * s1 * s1) + (a1 * s1) + b1] = w[(row * c) + ch];
                            }
                        }
                    }
                }
            }
        }

        var created = new List<Node>();
        var weightShape = new Shape([outChannels, inChannels, 1, 1]);
        var biasShape = new Shape([outChannels]);
        var value = new Value(conv.Name + "_on_phases", DataType.Float32);
        created.Add(new Node(conv.Name + "_on_phases", "Conv", "",
            [phases, new Value(conv.Name + "_phase_weights", DataType.Float32, weightShape) { Constant = Tensor.Create(weightShape, weights) },
                new Value(conv.Name + "_phase_bias", DataType.Float32, biasShape) { Constant = Tensor.Create(biasShape, newBias) }],
            [value], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)));
        foreach (var op in chain)
        {
            var next = new Value(op.Name + "_on_phases", DataType.Float32);
            var operands = op.Inputs.Skip(1).Select(i => i?.Constant is { } t && t.Shape.ElementCount > 1 ? Remapped(i, source) : i);
            created.Add(new Node(op.Name + "_on_phases", op.OpType, op.Domain, [value, .. operands], [next], new Dictionary<string, NodeAttribute>(op.Attributes, StringComparer.Ordinal)));
            value = next;
        }

        created.Add(new Node(second.Name + "_merged", "DepthToSpace", "", [value], [second.Outputs[0]], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)
        {
            ["blocksize"] = new("blocksize", AttributeKind.Int) { Int = s },
            ["mode"] = new("mode", AttributeKind.String) { String = "CRD" },
        }));

        List<Node> old = [first, conv, .. chain, second];
        foreach (var n in old)
        {
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                n.ReplaceInput(i, null);
            }
        }

        int at = graph.Nodes.IndexOf(first);
        foreach (var n in old)
        {
            graph.Nodes.Remove(n);
        }

        graph.Nodes.InsertRange(at, created);
        foreach (var n in created)
        {
            if (!NodeInference.TryInfer(graph, n, diagnostics))
            {
                throw new InvalidOperationException($"{n}: shape inference failed after merging two phase interleaves");
            }
        }
    }
}
