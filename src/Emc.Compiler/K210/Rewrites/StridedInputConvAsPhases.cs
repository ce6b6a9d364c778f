using Emc.Compiler.Ir;
using Emc.Compiler.Ops;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// A large strided stem (FaceBoxes' 7×7 stride 4 on a 240×320 image): over shifted copies of the full-size input the
/// KPU needs more RAM than it has. The same conv reads the input's four stride-2 phases x[2m + a, 2n + b]: stack them
/// as 4·C channels (four Slices with steps 2 and a Concat — each slice a KPU pick at half size) and convolve with
/// half the stride and a kernel of about half the size: tap (ky, kx) of channel c moves to phase (a, b) = (t mod 2,
/// u mod 2) at offset ((t − a)/2, (u − b)/2), with t = ky − pad_top, u = kx − pad_left. An IR rewrite that keeps the
/// float values (same taps, same sums); applied only where the shifted copies of the input would not fit, or the
/// full-size stride-1 map would exceed a KPU layer's 65536-pixel output plane.
/// </summary>
internal static class StridedInputConvAsPhases
{
    /// <summary>KPU RAM units (64 bytes) the shifted copies of the input may take before the phases are used: half of it.</summary>
    private const long MaxStackUnits = 16384;

    /// <param name="inputMapIsQuantization">False when the device input map (the options' mean/std) is no uint8
    /// quantization — per-channel, or a fractional zero point: then a padded first conv has no exact pad_value, and a
    /// 3×3 stride-2 stem on a large input is split into phases too, since the phase picks apply the map.</param>
    public static int Run(Ir.Graph graph, DiagnosticBag diagnostics, bool inputMapIsQuantization = true)
    {
        // Slice with steps as an input exists from opset 10; older graphs keep the shifted copies.
        if (graph.OpsetVersion < 10 || graph.Inputs.Count != 1 || Normalized(graph.Inputs[0]) is not { Shape: { Rank: 4 } shape } x
            || shape[0] != 1 || shape[2] % 2 != 0 || shape[3] % 2 != 0)
        {
            return 0;
        }

        int applied = 0;
        bool inexactPadding = !inputMapIsQuantization || PerChannelNormalization(graph.Inputs[0]);
        foreach (var conv in x.Consumers.Where(c => c.OpType == "Conv").ToList())
        {
            if (Candidate(conv, x, shape, inexactPadding) is { } p && Apply(graph, conv, x, shape, p, diagnostics))
            {
                applied++;
            }
        }

        return applied;
    }

    /// <summary>The graph input after an in-graph normalization (Sub/Div/Mul/Add by constants), which the lowering folds
    /// into the device input map: the value the stem reads.</summary>
    private static Value Normalized(Value input)
    {
        var v = input;
        while (v.Consumers.Count == 1 && v.Consumers[0] is { OpType: "Sub" or "Div" or "Mul" or "Add" } n && n.Inputs.Count == 2
            && n.Inputs.Count(i => i == v) == 1 && n.Inputs.Any(i => i is { IsConstant: true }) && n.Outputs[0].Shape is { } shape && shape.Equals(v.Shape))
        {
            v = n.Outputs[0];
        }

        return v;
    }

    /// <summary>True when the in-graph normalization has a constant with different values per channel.</summary>
    private static bool PerChannelNormalization(Value input)
    {
        var v = input;
        var last = Normalized(input);
        while (v != last)
        {
            var n = v.Consumers[0];
            if (n.Inputs.Any(i => i is { Constant: { } t } && t.ToFloatArray().Distinct().Count() > 1))
            {
                return true;
            }

            v = n.Outputs[0];
        }

        return false;
    }

    private static ConvParameters? Candidate(Node conv, Value x, Shape shape, bool inexactPadding)
    {
        if (conv.Parameters is not ConvParameters p || conv.Inputs[0] != x || conv.Inputs[1]?.Constant is null
            || (conv.Inputs.Count > 2 && conv.Inputs[2] is { Constant: null }))
        {
            return null;
        }

        var g = p.Geometry;
        // A 3×3 (or smaller) stem runs natively unless it pads an input whose map has no exact pad_value.
        bool padded = g.PadTop + g.PadLeft + p.PadBottom + p.PadRight > 0;
        if (g.Group != 1 || g.DilationHeight != 1 || g.DilationWidth != 1 || g.StrideHeight != g.StrideWidth || g.StrideHeight is not (2 or 4)
            || (Math.Max(g.KernelHeight, g.KernelWidth) <= 3 && !(inexactPadding && padded)))
        {
            return null;
        }

        long slots = (long)Math.Ceiling(g.KernelHeight / 3.0) * (long)Math.Ceiling(g.KernelWidth / 3.0);
        long units = slots * shape[1] * shape[2] * ((shape[3] + 63) / 64);
        // Either the copies would fill half of KPU RAM, or the stride-1 map the KPU computes before sampling would have
        // more than 65536 pixels per channel (channel_byte_num).
        return units > MaxStackUnits || (long)shape[2] * shape[3] > 65536 ? p : null;
    }

    private static bool Apply(Ir.Graph graph, Node conv, Value x, Shape shape, ConvParameters p, DiagnosticBag diagnostics)
    {
        var g = p.Geometry;
        int c = shape[1], h = shape[2], w = shape[3];
        var (rowsLo, rowsHi) = Offsets(g.KernelHeight, g.PadTop);
        var (colsLo, colsHi) = Offsets(g.KernelWidth, g.PadLeft);
        int kh = rowsHi - rowsLo + 1, kw = colsHi - colsLo + 1, stride = g.StrideHeight / 2;

        var created = new List<Node>();
        var phases = new List<Value?>();
        foreach (var (a, b) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
        {
            var phase = new Value($"{x.Name}_phase{a}{b}", DataType.Float32);
            created.Add(NodeInference.SpatialSlice($"{conv.Name}_phase{a}{b}", x, phase, (a, b), (h, w), (2, 2)));
            phases.Add(phase);
        }

        var stacked = new Value($"{x.Name}_phases", DataType.Float32);
        created.Add(new Node($"{conv.Name}_phases", "Concat", "", phases, [stacked],
            new Dictionary<string, NodeAttribute>(StringComparer.Ordinal) { ["axis"] = new NodeAttribute("axis", AttributeKind.Int) { Int = 1 } }));
        if (!created.All(n => NodeInference.TryInfer(graph, n, new DiagnosticBag())))
        {
            foreach (var n in created)
            {
                for (int i = 0; i < n.Inputs.Count; i++)
                {
                    n.ReplaceInput(i, null);
                }
            }

            return false; // the graph stays as it was
        }

        var weights = PhaseWeights(conv.Inputs[1]!.Constant!.ToFloatArray(), g.OutputChannels, c, g.KernelHeight, g.KernelWidth, g.PadTop, g.PadLeft, rowsLo, colsLo, kh, kw);
        var weightShape = new Shape([g.OutputChannels, 4 * c, kh, kw]);
        var weightValue = new Value(conv.Name + "_phase_weights", DataType.Float32, weightShape) { Constant = Tensor.Create(weightShape, weights) };

        // Output rows: the original i reads phase rows stride·i + rowsLo … ; pads keep the output size.
        int padBottom = PadAfter(h / 2, kh, stride, -rowsLo, g.OutputHeight);
        int padRight = PadAfter(w / 2, kw, stride, -colsLo, g.OutputWidth);
        var attributes = new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)
        {
            ["kernel_shape"] = new("kernel_shape", AttributeKind.Ints) { Ints = [kh, kw] },
            ["strides"] = new("strides", AttributeKind.Ints) { Ints = [stride, stride] },
            ["pads"] = new("pads", AttributeKind.Ints) { Ints = [-rowsLo, -colsLo, padBottom, padRight] },
        };
        var output = conv.Outputs[0];
        var bias = conv.Inputs.Count > 2 ? conv.Inputs[2] : null;
        int at = graph.Nodes.IndexOf(conv);
        for (int i = 0; i < conv.Inputs.Count; i++)
        {
            conv.ReplaceInput(i, null);
        }

        graph.Nodes.Remove(conv);
        var stem = new Node(conv.Name, "Conv", "", bias is null ? [stacked, weightValue] : [stacked, weightValue, bias], [output], attributes);
        created.Add(stem);
        graph.Nodes.InsertRange(at, created);
        if (!NodeInference.TryInfer(graph, stem, diagnostics))
        {
            throw new InvalidOperationException($"{stem}: shape inference failed after splitting a strided conv into phases");
        }

        return true;
    }


    /// <summary>The phase offsets d = (t − (t mod 2))/2 the taps t = k − pad reach: [lowest, highest].</summary>
    private static (int Lo, int Hi) Offsets(int kernel, int pad) => (Half(-pad), Half(kernel - 1 - pad));

    private static int Half(int t) => (t - Mod2(t)) / 2;

    private static int Mod2(int t) => ((t % 2) + 2) % 2;

    /// <summary>The trailing pad that keeps ONNX's output size floor((n + before + after − k)/s) + 1 equal to <paramref name="want"/>.</summary>
    private static int PadAfter(int n, int k, int s, int before, int want)
    {
        for (int after = 0; after < k; after++)
        {
            if (((n + before + after - k) / s) + 1 == want)
            {
                return after;
            }
        }

        throw new InvalidOperationException("no trailing pad gives the original output size");
    }

    private static float[] PhaseWeights(float[] w, int oc, int ic, int kh, int kw, int padTop, int padLeft, int rowsLo, int colsLo, int nkh, int nkw)
    {
        var result = new float[oc * 4 * ic * nkh * nkw];
        for (int o = 0; o < oc; o++)
        {
            for (int c = 0; c < ic; c++)
            {
                for (int ky = 0; ky < kh; ky++)
                {
                    int t = ky - padTop, a = Mod2(t), dy = Half(t) - rowsLo;
                    for (int kx = 0; kx < kw; kx++)
                    {
                        int u = kx - padLeft, b = Mod2(u), dx = Half(u) - colsLo;
                        int channel = (((a * 2) + b) * ic) + c;
                        result[(((((o * 4 * ic) + channel) * nkh) + dy) * nkw) + dx] = w[(((((o * ic) + c) * kh) + ky) * kw) + kx];
                    }
                }
            }
        }

        return result;
    }
}
