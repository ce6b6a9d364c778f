using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// A linear Resize/Upsample of a [1, C, H, W] map by an integer factor f (2 to <see cref="MaxFactor"/>) per spatial
/// axis becomes, with the same float values: the map padded by one edge pixel (Gathers of the first/last row and
/// column), a nearest ×f (RESIZE_NEAREST_NEIGHBOR's own floor map) and a "valid" depthwise conv with a fixed
/// separable kernel (docs/architecture.md, under its name). Why it is exact: with u(k) = X(⌊k/f⌋) the nearest
/// upsampling of the edge-extended input X, Σₖ h(k − o)·u(k) = Σᵢ X(i)·Λ(pos(o) − i) — linear interpolation at
/// pos(o) — exactly when the box sum g(s) = Σ_{j&lt;f} h(s + j) equals the hat Λ((s + c)/f), c the coordinate
/// shift: asymmetric (c = 0) h = box f on taps 0…f−1; half_pixel (c = (f−1)/2) h = [1, 2, …, 2, 1]/2f on
/// −f/2…f/2 for even f, box f centred for odd f. ONNX clamps positions to the input (edge replication), which
/// the edge pixel reproduces where a zero-padded conv would not. align_corners moves the phase with the output
/// index, so no fixed kernel exists unless an axis has length 1 (then every mode is nearest).
/// </summary>
internal static class LinearResizeAsNearestAndDepthwise
{
    public const int MaxFactor = 4;

    /// <summary>One axis: the nearest factor, the edge pixels added before and after, the 3 taps of a first "same"
    /// stage (if any) and the taps of the "valid" stage that brings the padded map back to the output size.</summary>
    private sealed record AxisPlan(int Factor, int Before, int After, float[]? Same, float[] Valid)
    {
        public static readonly AxisPlan Copy = new(1, 0, 0, null, [1f]);
    }

    public static int Run(Ir.Graph graph, DiagnosticBag diagnostics)
    {
        int applied = 0;
        foreach (var node in graph.Nodes.Where(n => n.Parameters is LinearResizeParameters).ToList())
        {
            if (Plan(node, out _) is { } plan)
            {
                Apply(graph, node, plan.H, plan.W, diagnostics);
                applied++;
            }
        }

        return applied;
    }

    /// <summary>Why a linear resize node cannot be realised (null when <see cref="Run"/> rewrites it).</summary>
    public static string? Problem(Node node)
    {
        Plan(node, out string? problem);
        return problem;
    }

    private static (AxisPlan H, AxisPlan W)? Plan(Node node, out string? problem)
    {
        var p = (LinearResizeParameters)node.Parameters!;
        var shape = node.Inputs[0]?.Shape;
        if (shape is not { Rank: 4 } || shape[0] != 1 || !p.Axes[0].IsIdentity || !p.Axes[1].IsIdentity)
        {
            problem = "linear resizing maps to the K210 for a [1, C, H, W] tensor resized over height and width only";
            return null;
        }

        var h = PlanAxis(p.Axes[2], p.CoordinateMode, "height", out problem);
        var w = problem is null ? PlanAxis(p.Axes[3], p.CoordinateMode, "width", out problem) : null;
        return h is not null && w is not null ? (h, w) : null;
    }

    private static AxisPlan? PlanAxis(LinearAxis axis, string mode, string name, out string? problem)
    {
        problem = null;
        int n = axis.InputLength, outLength = axis.OutputLength;
        if (axis.IsIdentity)
        {
            return AxisPlan.Copy;
        }

        if (n == 1)
        {
            return AxisPlan.Copy with { Factor = outLength }; // every position clamps to the one input: a copy
        }

        int f = outLength / n;
        if (outLength != f * n || axis.Scale != f || f < 2 || f > MaxFactor)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"linear resize of the {name} {n}→{outLength} (scale {axis.Scale:0.####}): only integer factors 2 to {MaxFactor} are realised (nearest ×f and a fixed depthwise kernel)");
            return null;
        }

        if (mode is not ("asymmetric" or "half_pixel" or "pytorch_half_pixel"))
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"linear resize of the {name} {n}→{outLength} with coordinate mode '{mode}': its sampling phase changes along the axis, so no nearest upsampling and fixed kernel computes it (half_pixel, pytorch_half_pixel and asymmetric do)");
            return null;
        }

        return Kernels(mode == "asymmetric", f);
    }

    /// <summary>
    /// The taps over the edge-padded nearest map u (one input pixel = f taps of padding each side for half_pixel, after
    /// only for asymmetric), as a "valid" kernel of K = f·(pads) + 1 taps, output o reading u[o … o + K − 1]. ×4 is two
    /// 3-tap stages, so each is one native KPU window: [1,2,2,2,1]/8 = [1,2,1]/4 ∗ [1,0,1]/2 and
    /// [1,1,1,1]/4 = [1,1]/2 ∗ [1,0,1]/2; the first runs "same" (its zero-padded border taps are never read).
    /// </summary>
    private static AxisPlan Kernels(bool asymmetric, int f)
    {
        float third = 1f / 3;
        return (asymmetric, f) switch
        {
            (true, 2) => new AxisPlan(2, 0, 1, null, [0.5f, 0.5f, 0f]),
            (true, 3) => new AxisPlan(3, 0, 1, null, [third, third, third, 0f]),
            (true, _) => new AxisPlan(4, 0, 1, [0f, 0.5f, 0.5f], [0.5f, 0f, 0.5f, 0f, 0f]),
            (false, 2) => new AxisPlan(2, 1, 1, null, [0f, 0.25f, 0.5f, 0.25f, 0f]),
            (false, 3) => new AxisPlan(3, 1, 1, null, [0f, 0f, third, third, third, 0f, 0f]),
            _ => new AxisPlan(4, 1, 1, [0.25f, 0.5f, 0.25f], [0f, 0f, 0f, 0.5f, 0f, 0.5f, 0f, 0f, 0f]),
        };
    }

    private static void Apply(Ir.Graph graph, Node node, AxisPlan h, AxisPlan w, DiagnosticBag diagnostics)
    {
        var x = node.Inputs[0]!;
        var output = node.Outputs[0];
        int channels = x.Shape![1];
        int at = graph.Nodes.IndexOf(node);
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            node.ReplaceInput(i, null);
        }

        graph.Nodes.Remove(node);
        var added = new Added(graph, node, diagnostics);
        bool convolve = h.Valid.Length > 1 || w.Valid.Length > 1;
        var padded = EdgePadWidth(added, node.Name, x, w, channels);
        padded = EdgePad(added, node.Name + "_edge_h", padded, 2, h, null);
        var up = convolve ? new Value(output.Name + "_nearest", DataType.Float32) : output;
        added.Add(NearestUpsample(graph, node.Name + "_nearest", padded, up, h.Factor, w.Factor));
        if (h.Same is not null || w.Same is not null)
        {
            var first = new Value(output.Name + "_first_taps", DataType.Float32);
            added.Add(DepthwiseConv(node.Name + "_first_taps", up, first, channels, h.Same ?? [0f, 1f, 0f], w.Same ?? [0f, 1f, 0f], 1));
            up = first;
        }

        if (convolve)
        {
            added.Add(DepthwiseConv(node.Name, up, output, channels, h.Valid, w.Valid, 0));
        }

        graph.Nodes.InsertRange(at, added.Nodes);
    }

    /// <summary>The nodes a rewrite adds, in order, each inferred as it is added (its input shapes are then known).</summary>
    private sealed class Added(Ir.Graph graph, Node replaced, DiagnosticBag diagnostics)
    {
        public List<Node> Nodes { get; } = [];

        public void Add(Node node)
        {
            if (!NodeInference.TryInfer(graph, node, diagnostics))
            {
                throw new InvalidOperationException($"{replaced}: shape inference failed on {node} after rewriting a linear resize");
            }

            Nodes.Add(node);
        }
    }

    /// <summary>The width's edge pixels: a Gather per group of channels small enough for one concat of views
    /// (<see cref="GatherRunsByConcat.MaxRuns"/>: at most three runs a row), the groups joined on the channel axis.</summary>
    private static Value EdgePadWidth(Added added, string name, Value x, AxisPlan w, int channels)
    {
        if (w.Before + w.After == 0)
        {
            return x;
        }

        int rows = x.Shape![2];
        int group = Math.Max(1, (GatherRunsByConcat.MaxRuns - 1) / (3 * rows));
        if (group >= channels)
        {
            return EdgePad(added, name + "_edge_w", x, 3, w, null);
        }

        var parts = new List<Value?>();
        for (int c0 = 0; c0 < channels; c0 += group)
        {
            int c1 = Math.Min(channels, c0 + group);
            string part = string.Create(CultureInfo.InvariantCulture, $"{name}_edge_w{c0}");
            parts.Add(EdgePad(added, part, x, 3, w, (c0, c1)));
        }

        var joined = new Value(name + "_edge_w", DataType.Float32);
        added.Add(new Node(name + "_edge_w", "Concat", "", parts, [joined], Attributes(("axis", 1L))));
        return joined;
    }

    /// <summary>A Gather along <paramref name="axis"/> repeating the first and last index (of a channel range when given).</summary>
    private static Value EdgePad(Added added, string name, Value x, int axis, AxisPlan plan, (int From, int To)? channelRange)
    {
        if (plan.Before + plan.After == 0)
        {
            return x;
        }

        if (channelRange is { } range)
        {
            var part = new Value(name + "_channels", DataType.Float32);
            added.Add(new Node(name + "_channels", "Gather", "", [x, Indices(name + "_channel_indices", Enumerable.Range(range.From, range.To - range.From))], [part], Attributes(("axis", 1L))));
            x = part;
        }

        int n = x.Shape![axis];
        var indices = Enumerable.Repeat(0, plan.Before).Concat(Enumerable.Range(0, n)).Concat(Enumerable.Repeat(n - 1, plan.After));
        var padded = new Value(name, DataType.Float32);
        added.Add(new Node(name, "Gather", "", [x, Indices(name + "_indices", indices)], [padded], Attributes(("axis", (long)axis))));
        return padded;
    }

    /// <summary>A nearest ×(fy, fx) with the runtime's floor map, in the form the graph's opset has.</summary>
    private static Node NearestUpsample(Ir.Graph graph, string name, Value x, Value output, int fy, int fx)
    {
        var shape = new Shape([4]);
        var scales = new Value(name + "_scales", DataType.Float32, shape) { Constant = Tensor.Create(shape, new[] { 1f, 1f, fy, fx }) };
        var nearest = Attributes(("mode", "nearest"));
        if (graph.OpsetVersion >= 11)
        {
            nearest["coordinate_transformation_mode"] = new("coordinate_transformation_mode", AttributeKind.String) { String = "asymmetric" };
            nearest["nearest_mode"] = new("nearest_mode", AttributeKind.String) { String = "floor" };
            return new Node(name, "Resize", "", [x, null, scales], [output], nearest);
        }

        if (graph.OpsetVersion >= 9)
        {
            return new Node(name, graph.OpsetVersion == 10 ? "Resize" : "Upsample", "", [x, scales], [output], nearest);
        }

        nearest["scales"] = new("scales", AttributeKind.Floats) { Floats = [1f, 1f, fy, fx] };
        return new Node(name, "Upsample", "", [x], [output], nearest);
    }

    private static Node DepthwiseConv(string name, Value x, Value output, int channels, float[] rows, float[] cols, int pad)
    {
        var shape = new Shape([channels, 1, rows.Length, cols.Length]);
        var weights = new float[channels * rows.Length * cols.Length];
        for (int c = 0, k = 0; c < channels; c++)
        {
            foreach (float r in rows)
            {
                foreach (float q in cols)
                {
                    weights[k++] = r * q;
                }
            }
        }

        var kernel = new Value(name + "_kernel", DataType.Float32, shape) { Constant = Tensor.Create(shape, weights) };
        var attributes = Attributes(("group", (long)channels));
        attributes["kernel_shape"] = new("kernel_shape", AttributeKind.Ints) { Ints = [rows.Length, cols.Length] };
        attributes["pads"] = new("pads", AttributeKind.Ints) { Ints = [pad, pad, pad, pad] };
        return new Node(name, "Conv", "", [x, kernel], [output], attributes);
    }

    private static Value Indices(string name, IEnumerable<int> indices)
    {
        long[] values = [.. indices.Select(i => (long)i)];
        var shape = new Shape([values.Length]);
        return new Value(name, DataType.Int64, shape) { Constant = Tensor.Create(shape, values) };
    }

    private static Dictionary<string, NodeAttribute> Attributes(params (string Name, object Value)[] attributes)
    {
        var result = new Dictionary<string, NodeAttribute>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            result[key] = value is string s
                ? new NodeAttribute(key, AttributeKind.String) { String = s }
                : new NodeAttribute(key, AttributeKind.Int) { Int = (long)value };
        }

        return result;
    }
}
