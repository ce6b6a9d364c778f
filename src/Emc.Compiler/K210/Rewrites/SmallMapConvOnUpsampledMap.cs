using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Rewrites;

/// <summary>
/// A stride-1 conv on a map below the KPU's 4×4 minimum whose float FULLY_CONNECTED form would be too large
/// (openWakeWord's 96→96 1×3 and 3×1 convs on 10×2 maps: 3.7 M weights each). Repeating the map f_y×f_x times
/// (nearest Resize) and dilating the kernel by (f_y, f_x), pads scaled alike, computes the same sums at every
/// (f_y·i, f_x·j) — rows and columns outside the small map are outside the big one too — so a Slice with steps
/// (f_y, f_x) gives the conv's output: exact, on the KPU, 8-bit weights. An IR rewrite that keeps the float values.
/// </summary>
internal static class SmallMapConvOnUpsampledMap
{
    public static int Run(Ir.Graph graph, DiagnosticBag diagnostics)
    {
        if (graph.OpsetVersion < 11)
        {
            return 0; // Resize with (roi, scales) inputs and explicit nearest modes
        }

        int applied = 0;
        foreach (var conv in graph.Nodes.Where(n => n.OpType == "Conv").ToList())
        {
            if (Factors(conv) is { } f && Apply(graph, conv, f.Y, f.X, diagnostics))
            {
                applied++;
            }
        }

        return applied;
    }

    private static (int Y, int X)? Factors(Node conv)
    {
        if (conv.Parameters is not ConvParameters p || conv.Inputs[1]?.Constant is null || (conv.Inputs.Count > 2 && conv.Inputs[2] is { Constant: null }))
        {
            return null;
        }

        var g = p.Geometry;
        if (g.IsPointwise || g.StrideHeight != 1 || g.StrideWidth != 1 || g.DilationHeight != 1 || g.DilationWidth != 1
            || (g.InputHeight >= 4 && g.InputWidth >= 4) || SmallMapConvToFullyConnected.Fits(p))
        {
            return null;
        }

        return (Factor(g.InputHeight), Factor(g.InputWidth));
    }

    /// <summary>The smallest power of two that brings the side to at least 4.</summary>
    private static int Factor(int side)
    {
        int f = 1;
        while (side * f < 4)
        {
            f *= 2;
        }

        return f;
    }

    private static bool Apply(Ir.Graph graph, Node conv, int fy, int fx, DiagnosticBag diagnostics)
    {
        var p = (ConvParameters)conv.Parameters!;
        var g = p.Geometry;
        var x = conv.Inputs[0]!;
        var up = new Value(x.Name + "_repeated", DataType.Float32);
        var scalesShape = new Shape([4]);
        var scales = new Value(conv.Name + "_repeat_scales", DataType.Float32, scalesShape) { Constant = Tensor.Create(scalesShape, new[] { 1f, 1f, fy, fx }) };
        var resize = new Node(conv.Name + "_repeat", "Resize", "", [x, null, scales], [up], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)
        {
            ["mode"] = new("mode", AttributeKind.String) { String = "nearest" },
            ["coordinate_transformation_mode"] = new("coordinate_transformation_mode", AttributeKind.String) { String = "asymmetric" },
            ["nearest_mode"] = new("nearest_mode", AttributeKind.String) { String = "floor" },
        });
        if (!NodeInference.TryInfer(graph, resize, new DiagnosticBag()))
        {
            resize.ReplaceInput(0, null);
            resize.ReplaceInput(2, null);
            return false;
        }

        var big = new Value(conv.Outputs[0].Name + "_repeated", DataType.Float32);
        var attributes = new Dictionary<string, NodeAttribute>(StringComparer.Ordinal)
        {
            ["kernel_shape"] = new("kernel_shape", AttributeKind.Ints) { Ints = [g.KernelHeight, g.KernelWidth] },
            ["dilations"] = new("dilations", AttributeKind.Ints) { Ints = [fy, fx] },
            ["pads"] = new("pads", AttributeKind.Ints) { Ints = [g.PadTop * fy, g.PadLeft * fx, p.PadBottom * fy, p.PadRight * fx] },
            ["group"] = new("group", AttributeKind.Int) { Int = g.Group },
        };
        var output = conv.Outputs[0];
        var inputs = conv.Inputs.Skip(1).ToList();
        int at = graph.Nodes.IndexOf(conv);
        for (int i = 0; i < conv.Inputs.Count; i++)
        {
            conv.ReplaceInput(i, null);
        }

        graph.Nodes.Remove(conv);
        var dilated = new Node(conv.Name, "Conv", "", [up, .. inputs], [big], attributes);
        var pick = NodeInference.SpatialSlice(conv.Name + "_pick", big, output, (0, 0), (fy * g.OutputHeight, fx * g.OutputWidth), (fy, fx));
        graph.Nodes.InsertRange(at, [resize, dilated, pick]);
        if (!NodeInference.TryInfer(graph, dilated, diagnostics) || !NodeInference.TryInfer(graph, pick, diagnostics))
        {
            throw new InvalidOperationException($"{conv}: shape inference failed after repeating its small map");
        }

        return true;
    }

}
