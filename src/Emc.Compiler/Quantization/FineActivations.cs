using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Diagnostics;

namespace Emc.Compiler.Quantization;

/// <summary>
/// A bounded ReLU's output (Clip(0, M) after a conv and any batch norms, e.g. ReLU6) carried as <see cref="Pieces"/> uint8
/// channels per channel, each covering one piece of the range: piece k of channel y is clip(y − k·w, 0, w_k)/w_k, with
/// w the value's maximum over the first calibration samples over K (each channel's, with per-channel activation ranges),
/// w_k = w but for the last piece, which reaches M, and the convs that read it take Σ_k w_k·piece_k = clip(y, 0, M) — exact in float. A value lies in one piece: the
/// pieces below it are exactly full, those above exactly empty, so its rounding step is w/255 instead of M/255 (K² less
/// noise), and the pieces' codes weigh alike in the readers' weights (8-bit weights lose nothing, unlike a fine/coarse
/// pair). The conv computes the pieces as interleaved output channels (K·c + k) with weights W_c/w_k and biases
/// (b_c − k·w)/w_k; each reader's weights for channel c are repeated, scaled by w_k (a depthwise reader becomes a grouped
/// conv of K inputs per output). The price: K times the conv's output channels and its readers' input channels.
/// <para>
/// Why it pays: on MobileNetV1-0.25 the rounding of the first two layers' outputs alone (conv1, dw1) accounts for more
/// than half of the logits' activation error (docs/accuracy.md) — early noise travels through every later layer.
/// </para>
/// </summary>
internal static class FineActivations
{
    /// <summary>Pieces per channel.</summary>
    public const int Pieces = 2;

    /// <summary>Samples the decision looks at (the first calibration samples).</summary>
    public const int Samples = 8;

    /// <summary>The bounded activations the rewrite could split, in graph order: a Clip(0, M) (M finite) that alone reads
    /// a conv's output (through batch norms that alone read theirs), read only by convs (as their data input), and no graph
    /// output.</summary>
    public static IReadOnlyList<Candidate> Candidates(Ir.Graph graph) =>
        [.. graph.Nodes.Select(n => Match(graph, n)).OfType<Candidate>()];

    /// <summary>Splits candidates in graph order while the extra KPU multiply-adds stay within <paramref name="percent"/> %
    /// of the model's; returns how many were split. <paramref name="statistics"/> (the candidates' values over the first
    /// calibration samples) set the pieces: they divide each channel's maximum (<paramref name="perChannel"/>) or the
    /// value's.</summary>
    public static int Run(Ir.Graph graph, IReadOnlyList<Candidate> candidates, int percent, IReadOnlyDictionary<Value, TensorStatistics> statistics, bool perChannel,
        DiagnosticBag diagnostics)
    {
        double budget = KpuCost(graph) * percent / 100.0;
        double spent = 0;
        int applied = 0;
        foreach (var candidate in candidates)
        {
            // Earlier splits replaced the readers (and maybe the producer): match again on the current graph.
            if (Match(graph, candidate.Clip) is not { } current || !statistics.TryGetValue(current.Clip.Outputs[0], out var s))
            {
                continue;
            }

            double extra = ExtraCost(current);
            if (spent + extra > budget)
            {
                break;
            }

            int channels = current.Clip.Outputs[0].Shape![1];
            if (s.ChannelMaxs.Count != channels || !(s.Max > 0))
            {
                continue;
            }

            var widths = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                double top = perChannel ? s.ChannelMaxs[c] : s.Max;
                widths[c] = Math.Clamp(top, current.Max / 64, current.Max) / Pieces;
            }

            Apply(graph, current, widths, diagnostics);
            spent += extra;
            applied++;
        }

        return applied;
    }

    /// <summary>A match: the conv, the batch norms between it and the Clip, the Clip, the bound M and the convs that read
    /// the Clip's output.</summary>
    internal sealed record Candidate(Node Conv, IReadOnlyList<Node> Norms, Node Clip, float Max, IReadOnlyList<Node> Readers);

    private static Candidate? Match(Ir.Graph graph, Node clip)
    {
        if (clip.OpType != "Clip" || clip.Operator is null || !graph.Nodes.Contains(clip) || ClipRange.Of(clip) is not ({ } min, { } max)
            || min != 0 || !(max > 0) || !float.IsFinite(max) || clip.Outputs[0] is not { Shape: { Rank: 4 } } v || graph.Outputs.Contains(v))
        {
            return null;
        }

        // Conv → BatchNormalization* → Clip, each value read only by the next node.
        var norms = new List<Node>();
        var reader = clip;
        while (reader.Inputs[0] is { } y && !graph.Outputs.Contains(y) && y.Consumers.Distinct().All(n => n == reader) && y.Producer is { } producer)
        {
            if (producer is { OpType: "BatchNormalization", Parameters: BatchNormParameters } && producer.Inputs.Count == 5 && producer.Outputs.Count == 1
                && producer.Inputs.Skip(1).All(i => i?.Constant is { Shape.Rank: 1 }))
            {
                norms.Insert(0, producer);
                reader = producer;
                continue;
            }

            if (producer is { OpType: "Conv", Operator: not null } conv && conv.Inputs.Count >= 2 && conv.Inputs[1]?.Constant is { Shape.Rank: 4 }
                && (conv.Inputs.Count < 3 || conv.Inputs[2] is null or { IsConstant: true }))
            {
                return Readers(v) is { } readers ? new Candidate(conv, norms, clip, max, readers) : null;
            }

            break;
        }

        return null;
    }

    private static List<Node>? Readers(Value v)
    {

        var readers = v.Consumers.Distinct().ToList();
        return readers.Count > 0 && readers.All(q => q.OpType == "Conv" && q.Operator is not null && q.Inputs[0] == v && q.Inputs.Skip(1).All(i => i != v)
            && q.Inputs[1]?.Constant is { Shape.Rank: 4 } && (q.Inputs.Count < 3 || q.Inputs[2] is null or { IsConstant: true }))
            ? readers
            : null;
    }

    /// <summary>KPU multiply-adds of every conv as the lowering runs it (grouped convs as block-diagonal ones, strided
    /// ones at the input's size).</summary>
    private static double KpuCost(Ir.Graph graph) => graph.Nodes.Where(n => n.OpType == "Conv").Sum(n => Cost(n, 1, 1));

    /// <summary>What the split adds: the conv's outputs and its readers' inputs, K times.</summary>
    private static double ExtraCost(Candidate c) => Cost(c.Conv, Pieces, 1) - Cost(c.Conv, 1, 1) + c.Readers.Sum(q => Cost(q, 1, Pieces) - Cost(q, 1, 1));

    private static double Cost(Node conv, int outputFactor, int inputFactor)
    {
        if (conv.Inputs[0]?.Shape is not { Rank: 4 } x || conv.Inputs[1]?.Constant is not { } w)
        {
            return 0;
        }

        long group = Group(conv);
        int cin = x[1] * inputFactor, cout = (int)w.Shape[0] * outputFactor;
        bool depthwise = group == x[1] && cin == x[1] && cout == x[1];
        double taps = w.Shape[2] * w.Shape[3];
        return (double)x[2] * x[3] * cout * (depthwise ? 1 : cin) * taps;
    }

    private static void Apply(Ir.Graph graph, Candidate c, double[] widths, DiagnosticBag diagnostics)
    {
        const int K = Pieces;
        var y = c.Conv.Outputs[0];
        var v = c.Clip.Outputs[0];
        int channels = widths.Length;
        // Piece k of channel o: offset k·w_o, width w_o (the last: up to M).
        var width = new double[K * channels];
        for (int o = 0; o < channels; o++)
        {
            for (int k = 0; k < K; k++)
            {
                width[(K * o) + k] = k < K - 1 ? widths[o] : c.Max - ((K - 1) * widths[o]);
            }
        }

        var wv = c.Conv.Inputs[1]!;
        var w = wv.Constant!;
        var wd = w.ToFloatArray();
        int per = wd.Length / channels;
        var bias = c.Conv.Inputs.Count > 2 && c.Conv.Inputs[2]?.Constant is { } bc ? bc.ToFloatArray() : new float[channels];
        foreach (var norm in c.Norms)
        {
            if (!FoldBatchNorm.Instance.TryFold(norm, norm.Inputs[0]!, new LinearWeights(wd, bias, per)))
            {
                throw new InvalidOperationException($"{norm}: matched for fine activations but does not fold");
            }
        }

        var rows = new float[K * channels * per];
        var biases = new float[K * channels];
        for (int o = 0; o < channels; o++)
        {
            for (int k = 0; k < K; k++)
            {
                int r = (K * o) + k;
                for (int i = 0; i < per; i++)
                {
                    rows[(r * per) + i] = (float)(wd[(o * per) + i] / width[r]);
                }

                biases[r] = (float)((bias[o] - (k * widths[o])) / width[r]);
            }
        }

        string tag = "_pieces";
        var wShape = new Shape([K * channels, w.Shape[1], w.Shape[2], w.Shape[3]]);
        var y2 = new Value(y.Name + tag, DataType.Float32);
        var v2 = new Value(v.Name + tag, DataType.Float32);
        var conv = new Node(c.Conv.Name, "Conv", c.Conv.Domain,
            [c.Conv.Inputs[0], Constant(wv.Name + tag, wShape, rows), Constant(y.Name + tag + "_bias", new Shape([K * channels]), biases)], [y2], c.Conv.Attributes);
        var clip = new Node(c.Clip.Name, "Clip", "", [y2, Constant(v.Name + tag + "_min", new Shape([]), [0f]), Constant(v.Name + tag + "_max", new Shape([]), [1f])], [v2],
            new Dictionary<string, NodeAttribute>(StringComparer.Ordinal));
        var replaced = new List<(Node Old, Node? New)> { (c.Conv, conv) };
        replaced.AddRange(c.Norms.Select(n => (n, (Node?)null)));
        replaced.Add((c.Clip, clip));

        // Each reader: input column i (channel ch) becomes columns K·i + k, scaled by the pieces' widths.
        foreach (var q in c.Readers)
        {
            var uv = q.Inputs[1]!;
            var u = uv.Constant!;
            var ud = u.ToFloatArray();
            int outputs = (int)u.Shape[0], columns = (int)u.Shape[1], taps = (int)(u.Shape[2] * u.Shape[3]);
            int outputsPerGroup = (int)(outputs / Group(q));
            var repeated = new float[K * ud.Length];
            for (int o = 0; o < outputs; o++)
            {
                int firstChannel = o / outputsPerGroup * columns;
                for (int i = 0; i < columns; i++)
                {
                    for (int k = 0; k < K; k++)
                    {
                        double scale = width[(K * (firstChannel + i)) + k];
                        for (int tap = 0; tap < taps; tap++)
                        {
                            repeated[(((o * K * columns) + (K * i) + k) * taps) + tap] = (float)(ud[(((o * columns) + i) * taps) + tap] * scale);
                        }
                    }
                }
            }

            var shape = new Shape([outputs, K * columns, u.Shape[2], u.Shape[3]]);
            replaced.Add((q, new Node(q.Name, "Conv", q.Domain, [v2, Constant(uv.Name + tag, shape, repeated), .. q.Inputs.Skip(2)], q.Outputs, q.Attributes)));
        }

        foreach (var (old, _) in replaced)
        {
            for (int i = 0; i < old.Inputs.Count; i++)
            {
                old.ReplaceInput(i, null);
            }
        }

        foreach (var (old, _) in replaced.Where(r => r.New is null))
        {
            graph.Nodes.Remove(old);
        }

        foreach (var (old, fresh) in replaced.Where(r => r.New is not null).Select(r => (r.Old, r.New!)))
        {
            graph.Nodes[graph.Nodes.IndexOf(old)] = fresh;
            if (!NodeInference.TryInfer(graph, fresh, diagnostics))
            {
                throw new InvalidOperationException($"{fresh}: shape inference failed after carrying '{v.Name}' in pieces");
            }
        }
    }

    private static Value Constant(string name, Shape shape, float[] data) =>
        new(name, DataType.Float32, shape) { Constant = Tensor.Create(shape, data) };

    private static long Group(Node n) => n.Attributes.TryGetValue("group", out var g) && g.Kind == AttributeKind.Int ? g.Int : 1;
}
