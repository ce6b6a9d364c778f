using Emc.Compiler.Ir;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// y = a_c·x + b_c for an element-wise Mul, Div, Add or Sub of x and a constant that is one number per channel (axis 1)
/// or one number in all: x·k, k·x, x/k, x + k, k + x, x − k, k − x.
/// </summary>
internal static class ChannelAffine
{
    public static (float[] Scale, float[] Shift)? Of(Node node, Value x, int channels)
    {
        if (node.OpType is not ("Mul" or "Div" or "Add" or "Sub") || node.Inputs.Count != 2 || x.Shape is not { Rank: >= 2 } shape
            || node.Outputs[0].Shape is not { } outShape || !outShape.Equals(shape))
        {
            return null;
        }

        bool constantFirst = node.Inputs[1] == x && node.Inputs[0] != x;
        if ((constantFirst ? node.Inputs[0] : node.Inputs[1])?.Constant is not { } k || (constantFirst && node.OpType == "Div")
            || PerChannel(k, shape, channels) is not { } values)
        {
            return null;
        }

        var scale = new float[channels];
        var shift = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            (scale[o], shift[o]) = node.OpType switch
            {
                "Mul" => (values[o], 0f),
                "Div" => (1 / values[o], 0f),
                "Add" => (1f, values[o]),
                _ => constantFirst ? (-1f, values[o]) : (1f, -values[o]),
            };
        }

        return scale.All(float.IsFinite) && shift.All(float.IsFinite) ? (scale, shift) : null;
    }

    /// <summary>The constant per channel (a scalar repeated) when, right-aligned against x's shape, it varies along axis 1
    /// at most: [C,1,1] or [1,C,1,1] against a map, [C] against [1, C].</summary>
    public static float[]? PerChannel(Tensor k, Shape x, int channels)
    {
        var dims = k.Shape.Dims.ToArray();
        if (dims.Length > x.Rank || x[1] != channels)
        {
            return null;
        }

        int offset = x.Rank - dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            int axis = d + offset;
            if (dims[d] != 1 && !(axis == 1 && dims[d] == channels))
            {
                return null;
            }
        }

        var values = k.ToFloatArray();
        return values.Length == channels ? values : values.Length == 1 ? Enumerable.Repeat(values[0], channels).ToArray() : null;
    }
}
