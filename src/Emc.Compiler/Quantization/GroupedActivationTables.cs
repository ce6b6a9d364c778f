using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;

namespace Emc.Compiler.Quantization;

/// <summary>
/// Activation tables by channel group (issue 10, <see cref="Compilation.ActivationRanges.PerChannel"/>): a REQUANTIZE
/// table (SiLU, Tanh …) maps every byte of its tensor through one 256-entry table, so its input and output have one
/// (scale, zero point) each. A planar tensor's contiguous channels are a contiguous byte range, so the table can run as
/// one REQUANTIZE per run of channels, each run with its own input and output quantization — exact up to the finer
/// rounding. The input side takes it where KPU convs write the input (their batch-norm words set scale and offset per
/// channel; also the slices of a concat buffer), the output side where only 1×1 KPU convs (no padding, so a channel's
/// zero point is a constant folded into their bias: <see cref="PerChannelActivationRanges.FoldInputScales"/>), DEQUANTIZE
/// and channel copies read it; a side that cannot keeps its one quantization. The runs are chosen to minimise the
/// rounding noise the readers see.
/// </summary>
internal static class GroupedActivationTables
{
    /// <summary>At most this many runs (REQUANTIZE layers) per table.</summary>
    public const int MaxGroups = 8;

    /// <summary>The noise cut the runs must bring over one quantization for the whole tensor: 1.5× (1.8 dB). Lower gates
    /// group tables whose calibrated channel ranges barely differ and clip on other inputs (light-person-detector's test
    /// images, docs/accuracy.md: gate 1.01 / 1.25 / 1.5 / 2 / 4 → 14.2 / 15.9 / 16.4 / 15.7 / 14.4 dB).</summary>
    public const double MinimumGain = 1.5;

    /// <summary>A table layer and the tensors that take its runs' quantizations, each with the index of its first channel in
    /// the table's input (<paramref name="Inputs"/>, empty when that side keeps one quantization) or output
    /// (<paramref name="Outputs"/>); <paramref name="Readers"/> are the KPU convs that read the output.</summary>
    public sealed record Candidate(RequantizeLayer Table, IReadOnlyDictionary<K210Tensor, int> Inputs, IReadOnlyDictionary<K210Tensor, int> Outputs,
        IReadOnlyList<KpuConvLayer> Readers)
    {
        public IEnumerable<K210Tensor> Members => Inputs.Keys.Concat(Outputs.Keys);
    }

    public static IReadOnlyList<Candidate> Candidates(K210Model model)
    {
        var graph = new Links(model);
        var result = new List<Candidate>();
        foreach (var table in model.Layers.OfType<RequantizeLayer>())
        {
            var x = table.Inputs[0];
            var y = table.Output;
            if (table.Function is null || x.Type != K210ElementType.UInt8 || y.Type != K210ElementType.UInt8 || x.AliasOf is not null
                || y.QuantFrom is not null || x.Channels != y.Channels)
            {
                continue;
            }

            var readers = new List<KpuConvLayer>();
            var inputs = InputSide(graph, table) ?? [];
            var outputs = OutputSide(graph, table, readers) ?? [];
            if (inputs.Count + outputs.Count > 0)
            {
                result.Add(new Candidate(table, inputs, outputs, readers));
            }
        }

        return result;
    }

    /// <summary>
    /// Chooses the runs and gives every member its per-channel quantization (one per run); false (nothing set) when the
    /// statistics do not describe the channels or the runs do not cut the noise <see cref="MinimumGain"/>×.
    /// </summary>
    public static bool Assign(Candidate candidate, IReadOnlyDictionary<Value, TensorStatistics> stats)
    {
        var x = candidate.Table.Inputs[0];
        var y = candidate.Table.Output;
        int channels = x.Channels;
        var xRanges = candidate.Inputs.Count > 0 ? ChannelRanges(Links.Root(x), stats) : null;
        var yRanges = candidate.Outputs.Count > 0 ? ChannelRanges(y, stats) : null;
        if ((xRanges ?? yRanges) is null)
        {
            return false;
        }

        var weight = Importance(candidate.Readers, channels);
        var runs = Runs(Costs(xRanges, yRanges, weight, x.Quant!.Value, y.Quant!.Value), channels, out double gain);
        if (runs.Count < 2 || gain < MinimumGain)
        {
            return false;
        }

        var xq = new QuantParam[channels];
        var yq = new QuantParam[channels];
        foreach (var (a, b) in runs)
        {
            var qx = RunQuant(xRanges, a, b, x.Quant!.Value);
            var qy = RunQuant(yRanges, a, b, y.Quant!.Value);
            for (int c = a; c < b; c++)
            {
                (xq[c], yq[c]) = (qx, qy);
            }
        }

        foreach (var (t, first) in candidate.Inputs)
        {
            t.ChannelQuant = xq[first..(first + t.Channels)];
        }

        foreach (var (t, first) in candidate.Outputs)
        {
            t.ChannelQuant = yq[first..(first + t.Channels)];
        }

        return true;
    }

    public static void Clear(Candidate candidate)
    {
        foreach (var t in candidate.Members)
        {
            t.ChannelQuant = null;
        }
    }

    /// <summary>Replaces the table layer by one REQUANTIZE per run of channels of equal quantization, each over its byte
    /// range (views of the input and output at the run's first channel).</summary>
    public static void Split(K210Model model, Candidate candidate)
    {
        var table = candidate.Table;
        var x = table.Inputs[0];
        var y = table.Output;
        if (x.ChannelQuant is null && y.ChannelQuant is null)
        {
            return;
        }

        long plane = (long)x.Height * x.Width;
        var layers = new List<K210Layer>();
        for (int a = 0; a < x.Channels;)
        {
            int b = a + 1;
            while (b < x.Channels && x.QuantOf(b) == x.QuantOf(a) && y.QuantOf(b) == y.QuantOf(a))
            {
                b++;
            }

            string suffix = $".g{layers.Count}";
            layers.Add(new RequantizeLayer(table.Name, View(x, suffix, a, b, x.QuantOf(a), plane), View(y, suffix, a, b, y.QuantOf(a), plane), table.Function));
            a = b;
        }

        int at = model.Layers.IndexOf(table);
        model.Layers.RemoveAt(at);
        model.Layers.InsertRange(at, layers);
    }

    private static K210Tensor View(K210Tensor of, string suffix, int a, int b, QuantParam quant, long plane) =>
        new(of.Name + suffix, K210ElementType.UInt8, of.Memory, b - a, of.Height, of.Width)
        {
            AliasOf = of,
            AliasOffset = a * plane,
            Quant = quant,
        };

    /// <summary>Each channel's calibrated range within the tensor's (its clipping is kept), or null when the statistics
    /// do not describe the tensor's channels.</summary>
    private static (double Lo, double Hi)[]? ChannelRanges(K210Tensor t, IReadOnlyDictionary<Value, TensorStatistics> stats)
    {
        if (t.RangeSource is not { } v || !stats.TryGetValue(v, out var s) || s.ChannelMins.Count != t.Channels || s.ChannelMaxs.Count != t.Channels)
        {
            return null;
        }

        var (lo, hi) = t.Quant!.Value.Range();
        return [.. Enumerable.Range(0, t.Channels).Select(c => (Math.Clamp(s.ChannelMins[c], lo, hi), Math.Clamp(s.ChannelMaxs[c], lo, hi)))];
    }

    /// <summary>Σ W² of the reading convs per input channel (how much a channel's rounding noise reaches their outputs);
    /// 1 each without them.</summary>
    private static double[] Importance(IReadOnlyList<KpuConvLayer> readers, int channels)
    {
        var result = new double[channels];
        foreach (var conv in readers)
        {
            var w = conv.Weights;
            int k2 = w.KernelSize * w.KernelSize;
            for (int o = 0; o < w.OutChannels; o++)
            {
                var row = w.Channel(o);
                for (int i = 0; i < row.Length; i++)
                {
                    result[i / k2] += (double)row[i] * row[i];
                }
            }
        }

        return readers.Count > 0 ? result : [.. result.Select(_ => 1.0)];
    }

    /// <summary>cost[a, b]: the noise of channels a..b−1 under one quantization for the run: the input and output steps²
    /// (a side without ranges keeps the tensor's), weighted by the channels' importance.</summary>
    private static double[,] Costs((double Lo, double Hi)[]? xr, (double Lo, double Hi)[]? yr, double[] weight, QuantParam xt, QuantParam yt)
    {
        int n = weight.Length;
        var cost = new double[n + 1, n + 1];
        for (int a = 0; a < n; a++)
        {
            double w = 0;
            for (int b = a + 1; b <= n; b++)
            {
                w += weight[b - 1];
                double sx = 1 / RunQuant(xr, a, b, xt).S, sy = 1 / RunQuant(yr, a, b, yt).S;
                cost[a, b] = w * ((sx * sx) + (sy * sy));
            }
        }

        return cost;
    }

    /// <summary>The fewest runs (up to <see cref="MaxGroups"/>) whose noise is within 20 % of the best partition's, by dynamic
    /// programming over contiguous runs; <paramref name="gain"/> is the noise of one run over theirs.</summary>
    private static List<(int A, int B)> Runs(double[,] cost, int n, out double gain)
    {
        int groups = Math.Min(MaxGroups, n);
        var best = new double[groups + 1, n + 1];
        var from = new int[groups + 1, n + 1];
        for (int k = 0; k <= groups; k++)
        {
            for (int b = 0; b <= n; b++)
            {
                best[k, b] = double.PositiveInfinity;
            }
        }

        best[0, 0] = 0;
        for (int k = 1; k <= groups; k++)
        {
            for (int b = 1; b <= n; b++)
            {
                for (int a = k - 1; a < b; a++)
                {
                    double c = best[k - 1, a] + cost[a, b];
                    if (c < best[k, b])
                    {
                        (best[k, b], from[k, b]) = (c, a);
                    }
                }
            }
        }

        double floor = Enumerable.Range(1, groups).Min(k => best[k, n]);
        int chosen = Enumerable.Range(1, groups).First(k => best[k, n] <= floor * 1.2);
        gain = best[chosen, n] > 0 ? best[1, n] / best[chosen, n] : 0;
        var runs = new List<(int, int)>();
        for (int k = chosen, b = n; k > 0; k--)
        {
            int a = from[k, b];
            runs.Insert(0, (a, b));
            b = a;
        }

        return runs;
    }

    /// <summary>The quantization of channels a..b−1: their joint range, at most <see cref="PerChannelActivationRanges.MaxScaleRatio"/>×
    /// finer than the tensor's (the tensor's own without ranges).</summary>
    private static QuantParam RunQuant((double Lo, double Hi)[]? ranges, int a, int b, QuantParam tensor)
    {
        if (ranges is null)
        {
            return tensor;
        }

        double lo = 0, hi = 0;
        for (int c = a; c < b; c++)
        {
            lo = Math.Min(lo, ranges[c].Lo);
            hi = Math.Max(hi, ranges[c].Hi);
        }

        var (tlo, thi) = tensor.Range();
        double floor = (thi - tlo) / PerChannelActivationRanges.MaxScaleRatio;
        if (hi - lo < floor)
        {
            double grow = floor - (hi - lo);
            (lo, hi) = hi <= 0 ? (lo - grow, hi) : lo >= 0 ? (lo, hi + grow) : (lo - (grow / 2), hi + (grow / 2));
        }

        return QuantParam.FromRange(lo, hi);
    }

    /// <summary>
    /// The tensors sharing the table input's quantization with their first channel, or null unless KPU convs (linear, so
    /// their batch-norm words can set any scale and offset per channel) write it — the whole tensor, or each its planar
    /// slice of a concat buffer — and everything else that reads them takes a quantization per channel.
    /// </summary>
    private static Dictionary<K210Tensor, int>? InputSide(Links graph, RequantizeLayer table)
    {
        var x = table.Inputs[0];
        var root = Links.Root(x);
        long plane = (long)x.Height * x.Width;
        if (root.RangeSource is null || x.Memory != K210MemoryKind.Main || !Plain(x) || graph.IsOutput(x))
        {
            return null;
        }

        var firsts = new Dictionary<K210Tensor, int> { [x] = 0 };
        var convs = new List<KpuConvLayer>();
        int covered = 0;
        foreach (var m in graph.Members(root).Where(m => m.AliasOf == root))
        {
            if (m.AliasOffset % plane != 0 || (long)m.Height * m.Width != plane || graph.Producers(m) is not [KpuConvLayer conv]
                || conv.MainOutput != m || conv.Output.QuantFrom != x || conv.Output.Channels != m.Channels)
            {
                return null;
            }

            firsts[m] = firsts[conv.Output] = (int)(m.AliasOffset / plane);
            covered += m.Channels;
        }

        foreach (var m in graph.Members(root))
        {
            if (!firsts.ContainsKey(m) && (m.AliasOf is not null || m.Channels != x.Channels))
            {
                return null;
            }

            firsts.TryAdd(m, 0);
            if (!Plain(m) || graph.IsOutput(m) || graph.Readers(m).Any(r => !(r == table && m == x) && !Reads(r, m, convs))
                || graph.Producers(m).Any(p => p is not KpuConvLayer { Activation.Kind: KpuActivationKind.Linear } && !PerChannelActivationRanges.IsChannelCopy(p)))
            {
                return null;
            }
        }

        bool byConv = graph.Members(root).Any(m => graph.Producers(m).Any(p => p is KpuConvLayer));
        return byConv && (covered == 0 ? graph.Producers(root).Count > 0 : graph.Producers(root).Count == 0 && covered == root.Channels) ? firsts : null;
    }

    /// <summary>The tensors sharing the table output's quantization (first channel 0), or null unless every reader takes
    /// a quantization per channel, zero point included; the KPU convs among the readers go to <paramref name="convs"/>.</summary>
    private static Dictionary<K210Tensor, int>? OutputSide(Links graph, RequantizeLayer table, List<KpuConvLayer> convs)
    {
        var y = table.Output;
        if (y.RangeSource is null || graph.Producers(y) is not [var only] || only != table)
        {
            return null;
        }

        var firsts = new Dictionary<K210Tensor, int>();
        foreach (var m in graph.Members(y))
        {
            if (!Plain(m) || m.AliasOf is not null || m.Channels != y.Channels || graph.IsOutput(m)
                || graph.Readers(m).Any(r => !Reads(r, m, convs))
                || graph.Producers(m).Any(p => p != table && !PerChannelActivationRanges.IsChannelCopy(p)))
            {
                convs.Clear();
                return null;
            }

            firsts[m] = 0;
        }

        return firsts;
    }

    /// <summary>Readers that take a quantization per channel, zero point included: a 1×1 KPU conv (no padding to keep at
    /// real zero; recorded in <paramref name="convs"/>), DEQUANTIZE, and channel copies (their outputs are members too).</summary>
    private static bool Reads(K210Layer reader, K210Tensor t, List<KpuConvLayer> convs)
    {
        switch (reader)
        {
            case KpuConvLayer conv when conv.Inputs[0] == t && conv.InputChannelSources is null && conv.Weights.KernelSize == 1
                && !conv.Weights.Depthwise && conv.Weights.InChannels == t.Channels:
                if (!convs.Contains(conv))
                {
                    convs.Add(conv);
                }

                return true;
            case DequantizeLayer:
                return true;
            default:
                return PerChannelActivationRanges.IsChannelCopy(reader) && reader.Output.QuantFrom == t;
        }
    }

    /// <summary>A uint8 tensor not already quantized per channel and without a channel map.</summary>
    private static bool Plain(K210Tensor t) =>
        t is { Type: K210ElementType.UInt8, IsDeviceInput: false, RangeChannels: null, ChannelQuant: null };

    /// <summary>Who writes and reads each tensor, and which tensors share a quantization root.</summary>
    private sealed class Links
    {
        private readonly Dictionary<K210Tensor, List<K210Layer>> _producers;
        private readonly Dictionary<K210Tensor, List<K210Layer>> _readers;
        private readonly Dictionary<K210Tensor, List<K210Tensor>> _members = [];
        private readonly HashSet<K210Tensor> _outputs;

        public Links(K210Model model)
        {
            (_producers, _readers) = LayerLinks.Of(model);
            foreach (var t in _producers.Keys.Concat(_readers.Keys).Distinct())
            {
                LayerLinks.Add(_members, Root(t), t);
            }

            _outputs = [.. model.Outputs.Select(o => o.Tensor)];
        }

        public IReadOnlyList<K210Layer> Producers(K210Tensor t) => _producers.GetValueOrDefault(t, []);

        public IReadOnlyList<K210Layer> Readers(K210Tensor t) => _readers.GetValueOrDefault(t, []);

        /// <summary>The tensor and every tensor whose quantization comes from it.</summary>
        public IReadOnlyList<K210Tensor> Members(K210Tensor root) => _members.TryGetValue(root, out var list) ? list : [root];

        /// <summary>A model output or a view of one (its interface states one scale and bias).</summary>
        public bool IsOutput(K210Tensor t) => _outputs.Any(o => o == t || o.AliasOf == t);

        public static K210Tensor Root(K210Tensor t)
        {
            var at = t;
            for (int guard = 0; at.QuantFrom is { } from && guard < 64; guard++)
            {
                at = from;
            }

            return at;
        }
    }
}
