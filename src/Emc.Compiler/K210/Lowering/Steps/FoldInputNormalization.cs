using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>
/// Folds in-graph input normalization (spec §10: Add / Sub / Mul / Div by constants between the graph input and
/// the first Conv, e.g. PyTorch's <c>(x − mean) / std</c>) into the device input's preprocessing map, so the
/// device uint8 image feeds the first KPU convolution directly.
/// </summary>
internal sealed class FoldInputNormalization : ILoweringStep
{
    public static readonly FoldInputNormalization Instance = new();

    public string Name => "fold-input-normalization";

    public string Summary => "Add/Sub/Mul/Div by scalar or per-channel constants between the graph input and the first Conv → the device input map";

    public bool Run(LoweringContext ctx)
    {
        var input = ctx.DeviceInputValue ?? ctx.Graph.Inputs[0];
        if (Fold(ctx, input, ctx.Preprocessing!) is not var (fed, folded))
        {
            return false;
        }

        ctx.Preprocessing = folded;
        ctx.DeviceInputValue = fed;
        return true;
    }

    /// <summary>
    /// Follows single-consumer affine steps from the graph input, composing them into <paramref name="pre"/> and
    /// consuming their nodes. Returns the value the device input stands for (the graph input when nothing
    /// folds) with the composed map, or null after a diagnostic.
    /// </summary>
    private static (Value Fed, Preprocessing Pre)? Fold(LoweringContext ctx, Value input, Preprocessing pre)
    {
        int channels = pre.Scale.Length;
        double[] scale = (double[])pre.Scale.Clone(), offset = (double[])pre.Offset.Clone();
        var current = input;
        while (ctx.SoleConsumer(current) is { } node && Step(node, current, channels) is var (op, constant))
        {
            for (int c = 0; c < channels; c++)
            {
                double k = constant.Length == 1 ? constant[0] : constant[c];
                if (op is "Div" && k == 0)
                {
                    ctx.Error(CompilerDiagnostics.Preprocessing, node, "input normalization divides by zero");
                    return null;
                }

                (scale[c], offset[c]) = op switch
                {
                    "Add" => (scale[c], offset[c] + k),
                    "Sub" => (scale[c], offset[c] - k),
                    "Mul" => (scale[c] * k, offset[c] * k),
                    _ => (scale[c] / k, offset[c] / k),
                };

                // The KPU quantization of the input assumes real grows with q.
                if (!(scale[c] > 0) || !double.IsFinite(offset[c]))
                {
                    ctx.Error(CompilerDiagnostics.Preprocessing, node,
                        $"input normalization gives channel {c} the map real = q·{scale[c]} + {offset[c]}; only a positive finite scale can be folded into the device input");
                    return null;
                }
            }

            ctx.Consume(node);
            current = node.Outputs[0];
        }

        return (current, pre with { Scale = scale, Offset = offset });
    }

    /// <summary>The op and its per-channel (or single) constant when the node is an affine step on <paramref name="x"/>.</summary>
    private static (string Op, float[] Constant)? Step(Node node, Value x, int channels)
    {
        if (node.OpType is not ("Add" or "Sub" or "Mul" or "Div") || node.Inputs.Count != 2 || node.Outputs.Count != 1
            || x.Shape is null || node.Outputs[0].Shape is not { } outShape || !outShape.Equals(x.Shape))
        {
            return null;
        }

        // x − c and x / c are affine in x; c − x is not a scale-positive map and c / x is not affine at all.
        bool xFirst = node.Inputs[0] == x && node.Inputs[1] != x;
        bool xSecond = node.Inputs[1] == x && node.Inputs[0] != x && node.OpType is "Add" or "Mul";
        var other = xFirst ? node.Inputs[1] : xSecond ? node.Inputs[0] : null;
        if (other?.Constant is not { } constant || other.Type != DataType.Float32 || !PerChannel(constant.Shape, channels))
        {
            return null;
        }

        return (node.OpType, constant.ToFloatArray());
    }

    /// <summary>True when the shape broadcasts against [1, C, H, W] along the channel axis only (scalar, [1], [C,1,1], [1,C,1,1]).</summary>
    private static bool PerChannel(Shape shape, int channels)
    {
        if (shape.Rank > 4)
        {
            return false;
        }

        for (int i = 0; i < shape.Rank; i++)
        {
            int axis = 4 - shape.Rank + i; // numpy broadcasting aligns trailing axes: a 1-D [C] runs along W
            if (shape[i] != 1 && !(axis == 1 && shape[i] == channels))
            {
                return false;
            }
        }

        return true;
    }
}
