using Emc.Compiler.Ir;

namespace Emc.Compiler.Quantization;

/// <summary>
/// How much a quantization error in each channel (axis 1) of a value costs downstream, for
/// <see cref="CalibrationMethod.Consumer"/>: a conv reading the value amplifies an error in input channel c by
/// G_c = Σ_o Σ_k W[o, c, k]² (the gain of noise independent per tap), so channel c weighs G_c / mean(G). Ops that keep every
/// channel apart (activations, elementwise arithmetic, pooling, resize) pass their own output's weights back; any
/// other reader, and being a graph output, weighs every channel 1. Several readers: the mean of their weights.
/// Depthwise convs make this matter: a channel with tiny activations and large depthwise weights (YOLOX's Focus stem
/// feeding a 3×3 depthwise conv) is lost under a per-tensor step chosen for the largest channel.
/// </summary>
internal sealed class ChannelImportance
{
    private static readonly HashSet<string> s_channelwise = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Selu", "Elu", "Softplus",
        "Mul", "Add", "Sub", "Div", "Max", "Min", "Neg", "Abs", "Identity", "BatchNormalization",
        "MaxPool", "AveragePool", "Resize", "Upsample", "Pad",
    };

    private readonly Ir.Graph _graph;
    private readonly Dictionary<Value, double[]?> _memo = [];

    public ChannelImportance(Ir.Graph graph) => _graph = graph;

    /// <summary>Weights per channel (mean 1), or null when every channel weighs the same or the value has no channels.</summary>
    public double[]? Of(Value value)
    {
        if (_memo.TryGetValue(value, out var known))
        {
            return known;
        }

        _memo[value] = null; // a cycle cannot occur in a valid graph; this only guards re-entry
        var result = Compute(value);
        _memo[value] = result;
        return result;
    }

    /// <summary>
    /// How much an error at value x costs through the only function reading the value, as the squared slope f'(x)²:
    /// SiLU (x·sigmoid(x)) and Sigmoid, whose slope vanishes for large negative x (so clipping there costs nothing);
    /// null for any other reader.
    /// </summary>
    public static Func<double, double>? Slope(Value value)
    {
        var readers = value.Consumers.Distinct().ToList();
        if (readers.Count == 1 && readers[0] is { OpType: "Sigmoid" })
        {
            return x =>
            {
                double s = 1 / (1 + Math.Exp(-x));
                double d = s * (1 - s);
                return d * d;
            };
        }

        if (readers.Count == 2 && readers.FirstOrDefault(n => n.OpType == "Sigmoid") is { } sigmoid
            && readers.FirstOrDefault(n => n.OpType == "Mul") is { } mul && mul.Inputs.Contains(sigmoid.Outputs[0]) && mul.Inputs.Contains(value))
        {
            return x =>
            {
                double s = 1 / (1 + Math.Exp(-x));
                double d = s * (1 + (x * (1 - s)));
                return d * d;
            };
        }

        return null;
    }

    private double[]? Compute(Value value)
    {
        if (value.Shape is not { Rank: >= 2 } shape || shape[1] <= 1)
        {
            return null;
        }

        int channels = shape[1];
        var readers = new List<double[]?>();
        if (_graph.Outputs.Contains(value))
        {
            readers.Add(null);
        }

        foreach (var node in value.Consumers.Distinct())
        {
            readers.Add(Reader(node, value, channels));
        }

        if (readers.Count == 0 || readers.All(r => r is null))
        {
            return null;
        }

        var sum = new double[channels];
        foreach (var r in readers)
        {
            for (int c = 0; c < channels; c++)
            {
                sum[c] += r?[c] ?? 1;
            }
        }

        return [.. sum.Select(x => x / readers.Count)];
    }

    /// <summary>The weights one reading node gives the value's channels (null = uniform).</summary>
    private double[]? Reader(Node node, Value value, int channels)
    {
        if (node.OpType == "Conv" && node.Inputs.Count >= 2 && node.Inputs[0] == value && node.Inputs[1]?.Constant is { } w
            && w.Shape.Rank >= 3)
        {
            return ConvEnergy(node, w, channels);
        }

        if (s_channelwise.Contains(node.OpType) && node.Outputs.Count > 0 && node.Outputs[0].Shape is { Rank: >= 2 } outShape
            && outShape[1] == channels)
        {
            return Of(node.Outputs[0]);
        }

        return null;
    }

    private static double[]? ConvEnergy(Node node, Tensor weights, int channels)
    {
        long group = node.Attributes.TryGetValue("group", out var g) && g.Kind == AttributeKind.Int ? g.Int : 1;
        var w = weights.ToFloatArray();
        int outputs = weights.Shape[0];
        int perGroup = weights.Shape[1];
        if (group <= 0 || perGroup * group != channels || outputs % group != 0)
        {
            return null;
        }

        int taps = w.Length / (outputs * perGroup);
        int outputsPerGroup = outputs / (int)group;
        var energy = new double[channels];
        for (int o = 0; o < outputs; o++)
        {
            int firstChannel = (o / outputsPerGroup) * perGroup;
            for (int ci = 0; ci < perGroup; ci++)
            {
                double squares = 0;
                int at = ((o * perGroup) + ci) * taps;
                for (int k = 0; k < taps; k++)
                {
                    squares += (double)w[at + k] * w[at + k];
                }

                energy[firstChannel + ci] += squares;
            }
        }

        double mean = energy.Average();
        if (!(mean > 0) || !double.IsFinite(mean))
        {
            return null;
        }

        return [.. energy.Select(x => x / mean)];
    }
}
