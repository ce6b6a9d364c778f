using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// A ConvTranspose with stride s (equal on both axes, any kernel, dilation, pads, output_padding, groups) is s² ordinary
/// convs over its input, one per output phase (a, b): output row s·m + a receives x[m + d]·W[ky] for the taps with
/// a + pad_top − ky·dilation = s·d. The phases are one Conv with s²·M output channels (CRD order: channel o·s² + a·s + b),
/// kernel = the offsets d the taps reach (zero where a phase has no tap), followed by DepthToSpace(s, CRD) and, where
/// the output is not a multiple of s or starts inside a phase, a Slice. Per-channel elementwise followers (BatchNormalization,
/// Relu, LeakyRelu, Clip, Sigmoid) move before the DepthToSpace (their parameters repeated per phase) so the lowering
/// folds them into the conv. An IR rewrite with the same float values: the same products, summed per output element.
/// </summary>
internal static class ConvTransposeAsPhaseConv
{
    public static int Run(Ir.Graph graph, DiagnosticBag diagnostics)
    {
        int applied = 0;
        foreach (var node in graph.Nodes.Where(n => n.OpType == "ConvTranspose").ToList())
        {
            if (WhyNot(node, graph.OpsetVersion) is null && Apply(graph, node, diagnostics))
            {
                applied++;
            }
        }

        return applied;
    }

    /// <summary>Why the node is not rewritten (the lowering reports it), or null.</summary>
    public static string? WhyNot(Node node, long opset)
    {
        if (node.Parameters is not ConvTransposeParameters p)
        {
            return "its shapes are not known";
        }

        if (node.Inputs[1]?.Constant is null || (node.Inputs.Count > 2 && node.Inputs[2] is { Constant: null }))
        {
            return "its weights or bias are computed at run time (the KPU needs constant weights)";
        }

        if (p.StrideHeight > 1 && opset < 11)
        {
            return "the phases are interleaved by DepthToSpace in CRD mode, which needs opset 11 or later";
        }

        if (p.StrideHeight != p.StrideWidth)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"strides ({p.StrideHeight}, {p.StrideWidth}) differ; the phases are interleaved by one depth-to-space with a square block");
        }

        int s = p.StrideHeight;
        if (p.OutputHeight > s * p.InputHeight || p.OutputWidth > s * p.InputWidth)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the output {p.OutputHeight}×{p.OutputWidth} is larger than stride × input ({s * p.InputHeight}×{s * p.InputWidth}), so a phase would have more positions than its input map, and a KPU conv computes at most its input's size (larger pads or less output_padding avoid this)");
        }

        return p.Batch != 1 ? "batch must be 1" : null;
    }

    private static bool Apply(Ir.Graph graph, Node node, DiagnosticBag diagnostics)
    {
        var p = (ConvTransposeParameters)node.Parameters!;
        int s = p.StrideHeight, phases = s * s, m = p.OutputChannels;
        var rows = Axis.Of(s, p.PadTop, p.KernelHeight, p.DilationHeight, p.InputHeight, p.OutputHeight);
        var cols = Axis.Of(s, p.PadLeft, p.KernelWidth, p.DilationWidth, p.InputWidth, p.OutputWidth);

        var x = node.Inputs[0]!;
        var created = new List<Node>();
        var phaseValue = new Value(node.Name + "_phases", DataType.Float32);
        var weights = PhaseWeights(node.Inputs[1]!.Constant!.ToFloatArray(), p, rows, cols);
        var weightShape = new Shape([phases * m, p.InputChannels / p.Group, rows.Kernel, cols.Kernel]);
        var inputs = new List<Value?> { x, new Value(node.Name + "_phase_weights", DataType.Float32, weightShape) { Constant = Tensor.Create(weightShape, weights) } };
        if (p.HasBias)
        {
            inputs.Add(Tiled(node.Name + "_phase_bias", node.Inputs[2]!.Constant!.ToFloatArray(), phases));
        }

        created.Add(new Node(node.Name + "_phase_conv", "Conv", "", inputs, [phaseValue], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)
        {
            ["kernel_shape"] = new("kernel_shape", AttributeKind.Ints) { Ints = [rows.Kernel, cols.Kernel] },
            ["pads"] = new("pads", AttributeKind.Ints) { Ints = [rows.PadBefore, cols.PadBefore, rows.PadAfter, cols.PadAfter] },
            ["group"] = new("group", AttributeKind.Int) { Int = p.Group },
        }));

        // Per-channel followers of the transposed conv run on the phases, before the interleave.
        var output = node.Outputs[0];
        var followers = new List<Node>();
        while (SoleFollower(graph, output) is { } f && PerPhase(f, phaseValue, phases, m) is { } moved)
        {
            created.Add(moved);
            phaseValue = moved.Outputs[0];
            followers.Add(f);
            output = f.Outputs[0];
        }

        var last = phaseValue;
        if (s > 1)
        {
            bool crop = rows.Phases * s != p.OutputHeight || cols.Phases * s != p.OutputWidth;
            var interleaved = crop ? new Value(node.Name + "_interleaved", DataType.Float32) : output;
            created.Add(new Node(node.Name + "_interleave", "DepthToSpace", "", [last], [interleaved], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)
            {
                ["blocksize"] = new("blocksize", AttributeKind.Int) { Int = s },
                ["mode"] = new("mode", AttributeKind.String) { String = "CRD" },
            }));
            if (crop)
            {
                created.Add(NodeInference.SpatialSlice(node.Name + "_crop", interleaved, output, (0, 0), (p.OutputHeight, p.OutputWidth), (1, 1)));
            }
        }
        else
        {
            // Stride 1: the phase conv is the whole result; it writes the output value itself.
            created[^1].ReplaceOutput(0, output);
        }

        foreach (var old in followers.Prepend(node))
        {
            for (int i = 0; i < old.Inputs.Count; i++)
            {
                old.ReplaceInput(i, null);
            }
        }

        int at = graph.Nodes.IndexOf(node);
        foreach (var old in followers.Prepend(node))
        {
            graph.Nodes.Remove(old);
        }

        graph.Nodes.InsertRange(at, created);
        foreach (var n in created)
        {
            if (!NodeInference.TryInfer(graph, n, diagnostics))
            {
                throw new InvalidOperationException($"{n}: shape inference failed after splitting a transposed conv into phases");
            }
        }

        return true;
    }

    private static Node? SoleFollower(Ir.Graph graph, Value value) =>
        value.Consumers.Count == 1 && !graph.Outputs.Contains(value) && value.Consumers[0].Inputs[0] == value ? value.Consumers[0] : null;

    /// <summary>The follower re-made on the phase tensor, or null when it is not a per-channel elementwise op.</summary>
    private static Node? PerPhase(Node f, Value phases, int count, int channels)
    {
        var output = new Value(f.Name + "_phases", DataType.Float32);
        switch (f.OpType)
        {
            case "Relu" or "LeakyRelu" or "Sigmoid" when f.Inputs.Count == 1:
                return new Node(f.Name + "_on_phases", f.OpType, f.Domain, [phases], [output], new Dictionary<string, NodeAttribute>(f.Attributes, StringComparer.Ordinal));
            case "Clip" when f.Inputs.Skip(1).All(v => v is null || v.Constant is not null):
                return new Node(f.Name + "_on_phases", "Clip", f.Domain, [phases, .. f.Inputs.Skip(1)], [output], new Dictionary<string, NodeAttribute>(f.Attributes, StringComparer.Ordinal));
            case "BatchNormalization" when f.Outputs.Count == 1 && f.Inputs.Count == 5 && f.Inputs.Skip(1).All(v => v?.Constant is { Shape.Rank: 1 }):
                var tiled = f.Inputs.Skip(1).Select((v, i) => (Value?)Tiled($"{f.Name}_phase_{i}", v!.Constant!.ToFloatArray(), count)).ToList();
                return new Node(f.Name + "_on_phases", f.OpType, f.Domain, [phases, .. tiled], [output], new Dictionary<string, NodeAttribute>(f.Attributes, StringComparer.Ordinal));
            case "Add" or "Sub" or "Mul" or "Div" when f.Inputs.Count == 2 && f.Inputs[1] is { Constant: { } c } && PerChannel(c, channels) is { } values:
                var operand = values.Length == 1 ? f.Inputs[1]! : Tiled(f.Name + "_phase_operand", values, count, channelAxis: true);
                return new Node(f.Name + "_on_phases", f.OpType, f.Domain, [phases, operand], [output], new Dictionary<string, NodeAttribute>(f.Attributes, StringComparer.Ordinal));
            default:
                return null;
        }
    }

    /// <summary>A scalar (one value) or one value per channel ([C], [C,1,1], [1,C,1,1]) as it broadcasts over NCHW; else null.</summary>
    private static float[]? PerChannel(Tensor constant, int channels)
    {
        var dims = constant.Shape.ToArray();
        if (constant.Shape.ElementCount == 1 && dims.Length <= 4)
        {
            return constant.ToFloatArray();
        }

        bool channelShaped = dims.Length is 3 or 4 && dims[^3] == channels && dims[^2] == 1 && dims[^1] == 1 && (dims.Length == 3 || dims[0] == 1);
        return channelShaped ? constant.ToFloatArray() : null;
    }

    /// <summary>Each value repeated <paramref name="count"/> times in a row (CRD: channel o·s² + phase).</summary>
    private static Value Tiled(string name, float[] values, int count, bool channelAxis = false)
    {
        var shape = channelAxis ? new Shape([1, values.Length * count, 1, 1]) : new Shape([values.Length * count]);
        return new Value(name, DataType.Float32, shape) { Constant = Tensor.Create(shape, values.SelectMany(v => Enumerable.Repeat(v, count)).ToArray()) };
    }

    private static float[] PhaseWeights(float[] w, ConvTransposeParameters p, Axis rows, Axis cols)
    {
        int s = p.StrideHeight, cPerGroup = p.InputChannels / p.Group, mPerGroup = p.OutputChannels / p.Group;
        var result = new float[s * s * p.OutputChannels * cPerGroup * rows.Kernel * cols.Kernel];
        for (int o = 0; o < p.OutputChannels; o++)
        {
            int g = o / mPerGroup, og = o % mPerGroup;
            for (int a = 0; a < s; a++)
            {
                for (int b = 0; b < s; b++)
                {
                    int channel = (o * s * s) + (a * s) + b;
                    for (int cg = 0; cg < cPerGroup; cg++)
                    {
                        int c = (g * cPerGroup) + cg;
                        foreach (var (ky, ry) in rows.Taps(a))
                        {
                            foreach (var (kx, rx) in cols.Taps(b))
                            {
                                result[(((((channel * cPerGroup) + cg) * rows.Kernel) + ry) * cols.Kernel) + rx] =
                                    w[(((((c * mPerGroup) + og) * p.KernelHeight) + ky) * p.KernelWidth) + kx];
                            }
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// One axis of the phase conv: <see cref="Phases"/> = ⌈output / s⌉ positions per phase, input offsets
    /// [<see cref="Lo"/>, <see cref="Lo"/> + <see cref="Kernel"/>) around each, read with non-negative pads.
    /// </summary>
    private sealed record Axis(int Stride, int Pad, int KernelSize, int Dilation, int Lo, int Kernel, int PadBefore, int PadAfter, int Phases)
    {
        public static Axis Of(int s, int pad, int kernel, int dilation, int input, int output)
        {
            int phases = (output + s - 1) / s;
            int dMin = int.MaxValue, dMax = int.MinValue;
            for (int a = 0; a < s; a++)
            {
                for (int k = 0; k < kernel; k++)
                {
                    if (Offset(a, k, s, pad, dilation) is { } d)
                    {
                        (dMin, dMax) = (Math.Min(dMin, d), Math.Max(dMax, d));
                    }
                }
            }

            if (dMin > dMax)
            {
                (dMin, dMax) = (0, 0); // no tap lands anywhere (every output is the bias)
            }

            // Offsets reach [lo, hi]; pads must not be negative: lo ≤ 0, and the last position phases − 1 + hi ≥ input − 1.
            int lo = Math.Min(dMin, 0), hi = Math.Max(dMax, input - phases);

            // Inside [−1, 1] with as many positions as inputs, the native KPU shapes: 1×1 without pads, or 3×3 with pads 1.
            if (phases == input && lo >= -1 && hi <= 1 && (lo, hi) != (0, 0))
            {
                (lo, hi) = (-1, 1);
            }

            return new Axis(s, pad, kernel, dilation, lo, hi - lo + 1, -lo, phases - input + hi, phases);
        }

        /// <summary>(tap, kernel row) pairs of phase <paramref name="a"/>.</summary>
        public IEnumerable<(int Tap, int Row)> Taps(int a)
        {
            for (int k = 0; k < KernelSize; k++)
            {
                if (Offset(a, k, Stride, Pad, Dilation) is { } d)
                {
                    yield return (k, d - Lo);
                }
            }
        }

        /// <summary>The input offset d with s·d = a + pad − k·dilation, or null when phase a gets no tap k.</summary>
        private static int? Offset(int a, int k, int s, int pad, int dilation)
        {
            int t = a + pad - (k * dilation);
            return ((t % s) + s) % s == 0 ? t / s : null;
        }
    }
}
