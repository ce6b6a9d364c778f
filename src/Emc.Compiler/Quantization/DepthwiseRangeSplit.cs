using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Compiler.Quantization;

/// <summary>
/// Per-channel activation ranges where uint8 tensors have one range each: a conv P → activation (none, a unary op or
/// SiLU as x·sigmoid(x)) → depthwise conv D chain whose activation channels span ranges more than <see cref="Ratio"/>
/// apart is rewritten into groups of channels of similar range — P_g (P's output channels of the group) → activation →
/// D_g (depthwise over the group) — whose outputs a Concat joins. Each group's tensors get their own calibrated range;
/// the math is unchanged except that the joined channels come in group order, a permutation folded into the convs that
/// read them (through channel-wise activations). Without it, YOLOX's stem (light-person-detector) puts channels of range
/// 0.2 and 130 on one uint8 grid, and the depthwise conv multiplies the small channels' rounding error by |w| ≈ 14.
/// </summary>
internal static class DepthwiseRangeSplit
{
    /// <summary>Channels whose ranges are within this factor share a group.</summary>
    public const double Ratio = 2;

    /// <summary>At most this many groups per chain (each adds a KPU conv pair).</summary>
    public const int MaxGroups = 4;

    /// <summary>The noise cut (<see cref="Gain"/>) a split must bring: 16× (12 dB).</summary>
    public const double MinimumGain = 16;

    private static readonly HashSet<string> s_unary = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu", "Selu",
    };

    /// <summary>The depthwise inputs of the chains the rewrite could split (their statistics decide).</summary>
    public static IReadOnlyList<Value> Candidates(Ir.Graph graph) =>
        [.. graph.Nodes.Select(d => Match(graph, d)?.A).OfType<Value>()];

    /// <summary>Rewrites every matching chain whose activation statistics call for it; returns how many.</summary>
    public static int Run(Ir.Graph graph, IReadOnlyDictionary<Value, TensorStatistics> stats, DiagnosticBag diagnostics)
    {
        int applied = 0;
        foreach (var d in graph.Nodes.ToList())
        {
            if (Match(graph, d) is { } chain && stats.TryGetValue(chain.A, out var s) && Groups(s) is { Count: > 1 } groups
                && Gain(s, chain.D.Inputs[1]!.Constant!, groups) >= MinimumGain && Readers(graph, d.Outputs[0]) is { } readers)
            {
                Apply(graph, chain, groups, readers, diagnostics);
                applied++;
            }
        }

        return applied;
    }

    /// <summary>
    /// How much the split cuts the rounding noise the depthwise conv passes on: Σ_c G_c·W² / Σ_c G_c·W_g(c)², with G_c the
    /// squared weights of channel c, W the tensor's range width and W_g that of c's group. Below
    /// <see cref="MinimumGain"/> the extra layers are not worth it.
    /// </summary>
    internal static double Gain(TensorStatistics s, Tensor depthwiseWeights, List<int[]> groups)
    {
        var w = depthwiseWeights.ToFloatArray();
        int channels = s.ChannelMins.Count, taps = w.Length / channels;
        double Width(int c) => Math.Max(s.ChannelMaxs[c], 0) - Math.Min(s.ChannelMins[c], 0);
        double all = Enumerable.Range(0, channels).Max(Width);
        double before = 0, after = 0;
        foreach (var group in groups)
        {
            double width = group.Max(Width);
            foreach (int c in group)
            {
                double g = 0;
                for (int k = 0; k < taps; k++)
                {
                    g += (double)w[(c * taps) + k] * w[(c * taps) + k];
                }

                before += g * all * all;
                after += g * width * width;
            }
        }

        return after > 0 ? before / after : 0;
    }

    /// <summary>Channel groups (original indices, ascending within a group) by the width of each channel's range.</summary>
    internal static List<int[]>? Groups(TensorStatistics s)
    {
        var mins = s.ChannelMins;
        var maxs = s.ChannelMaxs;
        if (mins.Count < 2 || mins.Count != maxs.Count)
        {
            return null;
        }

        var widths = Enumerable.Range(0, mins.Count).Select(c => Math.Max(maxs[c], 0) - Math.Min(mins[c], 0)).ToArray();
        if (widths.Any(w => !double.IsFinite(w)))
        {
            return null;
        }

        double widest = widths.Max();
        var order = Enumerable.Range(0, widths.Length).OrderByDescending(c => widths[c]).ThenBy(c => c).ToList();
        var groups = new List<List<int>>();
        double top = 0;
        foreach (int c in order)
        {
            bool fresh = groups.Count == 0 || (widths[c] * Ratio < top && widths[c] > widest * 1e-4 && groups.Count < MaxGroups);
            if (fresh)
            {
                groups.Add([]);
                top = widths[c];
            }

            groups[^1].Add(c);
        }

        return [.. groups.Select(g => g.Order().ToArray())];
    }

    private sealed record Chain(Node P, Value X, IReadOnlyList<Node> Activation, Value A, Node D);

    private static Chain? Match(Ir.Graph graph, Node d)
    {
        if (d.OpType != "Conv" || d.Operator is null || d.Inputs.Count < 2 || d.Inputs[0] is not { Shape: { Rank: 4 } shape } a
            || d.Inputs[1]?.Constant is not { } w || Group(d) != shape[1] || w.Shape[0] != shape[1] || w.Shape[1] != 1
            || !OnlyReader(graph, a, d) || (d.Inputs.Count > 2 && d.Inputs[2] is { IsConstant: false }))
        {
            return null;
        }

        var activation = new List<Node>();
        Value x = a;
        if (a.Producer is { OpType: "Mul" } mul && mul.Inputs.Count == 2)
        {
            int s = mul.Inputs[0]?.Producer?.OpType == "Sigmoid" ? 0 : 1;
            if (mul.Inputs[s] is not { Producer: { OpType: "Sigmoid" } sigmoid } sg || mul.Inputs[1 - s] is not { } input
                || sigmoid.Inputs[0] != input || !OnlyReader(graph, sg, mul) || input.Consumers.Distinct().Count() != 2
                || graph.Outputs.Contains(input))
            {
                return null;
            }

            activation.AddRange([sigmoid, mul]);
            x = input;
        }
        else if (a.Producer is { } unary && s_unary.Contains(unary.OpType) && unary.Inputs[0] is { } input
            && unary.Inputs.Skip(1).All(v => v is null || v.IsConstant) && OnlyReader(graph, input, unary))
        {
            activation.Add(unary);
            x = input;
        }

        if (x.Producer is not { OpType: "Conv" } p || p.Operator is null || p.Inputs.Count < 2 || p.Inputs[1]?.Constant is null
            || Group(p) != 1 || (p.Inputs.Count > 2 && p.Inputs[2] is { IsConstant: false }) || activation.Any(n => n.Operator is null))
        {
            return null;
        }

        return new Chain(p, x, activation, a, d);
    }

    /// <summary>The group-1 convs that read the depthwise output through channel-wise activations, or null when anything
    /// else reads it (the permutation could not be folded).</summary>
    private static List<Node>? Readers(Ir.Graph graph, Value y)
    {
        var readers = new List<Node>();
        var seen = new HashSet<Value> { y };
        var queue = new Queue<Value>([y]);
        while (queue.TryDequeue(out var v))
        {
            if (graph.Outputs.Contains(v))
            {
                return null;
            }

            foreach (var n in v.Consumers.Distinct())
            {
                if (n.OpType == "Conv" && Group(n) == 1 && n.Inputs[0] == v && n.Inputs[1]?.Constant is { Shape.Rank: 4 })
                {
                    if (!readers.Contains(n))
                    {
                        readers.Add(n);
                    }
                }
                else if ((s_unary.Contains(n.OpType) && n.Inputs[0] == v && n.Inputs.Skip(1).All(i => i is null || i.IsConstant))
                    || (n.OpType == "Mul" && n.Inputs.Count == 2 && n.Inputs.All(i => i is not null && (seen.Contains(i) || IsSigmoidOf(i, v)))))
                {
                    if (seen.Add(n.Outputs[0]))
                    {
                        queue.Enqueue(n.Outputs[0]);
                    }
                }
                else
                {
                    return null;
                }
            }
        }

        return readers.Count > 0 ? readers : null;
    }

    private static bool IsSigmoidOf(Value v, Value of) => v.Producer is { OpType: "Sigmoid" } s && s.Inputs[0] == of;

    private static void Apply(Ir.Graph graph, Chain chain, List<int[]> groups, List<Node> readers, DiagnosticBag diagnostics)
    {
        var perm = groups.SelectMany(g => g).ToArray();
        var y = chain.D.Outputs[0];
        var created = new List<Node>();
        var joined = new List<Value>();
        for (int g = 0; g < groups.Count; g++)
        {
            var channels = groups[g];
            string tag = $"_g{g}";
            var xg = new Value(chain.X.Name + tag, DataType.Float32);
            created.Add(new Node(chain.P.Name + tag, "Conv", "", [chain.P.Inputs[0], Rows(chain.P.Inputs[1]!, channels, tag), Rows(Bias(chain.P), channels, tag)], [xg], chain.P.Attributes));
            var ag = xg;
            if (chain.Activation is [var sigmoid, var mul])
            {
                var sg = new Value(sigmoid.Outputs[0].Name + tag, DataType.Float32);
                created.Add(new Node(sigmoid.Name + tag, "Sigmoid", "", [xg], [sg], sigmoid.Attributes));
                ag = new Value(chain.A.Name + tag, DataType.Float32);
                created.Add(new Node(mul.Name + tag, "Mul", "", [xg, sg], [ag], mul.Attributes));
            }
            else if (chain.Activation is [var unary])
            {
                ag = new Value(chain.A.Name + tag, DataType.Float32);
                created.Add(new Node(unary.Name + tag, unary.OpType, unary.Domain, [xg, .. unary.Inputs.Skip(1)], [ag], unary.Attributes));
            }

            var yg = new Value(y.Name + tag, DataType.Float32);
            var attributes = new Dictionary<string, NodeAttribute>(chain.D.Attributes, StringComparer.Ordinal)
            {
                ["group"] = new NodeAttribute("group", AttributeKind.Int) { Int = channels.Length },
            };
            created.Add(new Node(chain.D.Name + tag, "Conv", "", [ag, Rows(chain.D.Inputs[1]!, channels, tag), Rows(Bias(chain.D), channels, tag)], [yg], attributes));
            joined.Add(yg);
        }

        var old = new List<Node> { chain.P };
        old.AddRange(chain.Activation);
        old.Add(chain.D);
        int at = graph.Nodes.IndexOf(chain.P);
        foreach (var n in old)
        {
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                n.ReplaceInput(i, null);
            }

            graph.Nodes.Remove(n);
        }

        created.Add(new Node(chain.D.Name + "_join", "Concat", "", joined, [y],
            new Dictionary<string, NodeAttribute>(StringComparer.Ordinal) { ["axis"] = new NodeAttribute("axis", AttributeKind.Int) { Int = 1 } }));
        graph.Nodes.InsertRange(at, created);
        foreach (var n in created)
        {
            Infer(graph, n, diagnostics);
        }

        foreach (var q in readers)
        {
            q.ReplaceInput(1, PermutedColumns(q.Inputs[1]!, perm));
        }
    }

    private static void Infer(Ir.Graph graph, Node node, DiagnosticBag diagnostics)
    {
        if (!NodeInference.TryInfer(graph, node, diagnostics))
        {
            throw new InvalidOperationException($"{node}: shape inference failed after splitting channel ranges");
        }
    }

    private static long Group(Node n) => n.Attributes.TryGetValue("group", out var g) && g.Kind == AttributeKind.Int ? g.Int : 1;

    private static bool OnlyReader(Ir.Graph graph, Value v, Node reader) =>
        !graph.Outputs.Contains(v) && v.Consumers.Distinct().All(n => n == reader);

    private static Value? Bias(Node conv) => conv.Inputs.Count > 2 ? conv.Inputs[2] : null;

    /// <summary>The rows (axis 0) <paramref name="rows"/> of a constant, as a new constant.</summary>
    private static Value? Rows(Value? source, int[] rows, string tag)
    {
        if (source?.Constant is not { } t)
        {
            return null;
        }

        var data = t.ToFloatArray();
        var dims = t.Shape.ToArray();
        int per = data.Length / dims[0];
        var result = new float[rows.Length * per];
        for (int r = 0; r < rows.Length; r++)
        {
            Array.Copy(data, rows[r] * per, result, r * per, per);
        }

        dims[0] = rows.Length;
        var shape = new Shape(dims);
        return new Value(source.Name + tag, DataType.Float32, shape) { Constant = Tensor.Create(shape, result) };
    }

    /// <summary>Conv weights [O, C, kh, kw] with input channel i taken from channel perm[i].</summary>
    private static Value PermutedColumns(Value weights, int[] perm)
    {
        var t = weights.Constant!;
        var data = t.ToFloatArray();
        var dims = t.Shape.ToArray();
        int taps = dims[2] * dims[3], channels = dims[1];
        var result = new float[data.Length];
        for (int o = 0; o < dims[0]; o++)
        {
            for (int i = 0; i < channels; i++)
            {
                Array.Copy(data, ((o * channels) + perm[i]) * taps, result, ((o * channels) + i) * taps, taps);
            }
        }

        return new Value(weights.Name + "_permuted", DataType.Float32, t.Shape) { Constant = Tensor.Create(t.Shape, result) };
    }
}
