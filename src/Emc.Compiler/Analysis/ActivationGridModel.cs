using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Analysis;

/// <summary>
/// The float model with the device's activation rounding and nothing else: as the float evaluator computes each ONNX value
/// the kmodel holds whole as a uint8 tensor, the value is rounded to that tensor's grid (each channel to its own where
/// the tensor has channel scales); weights, biases and arithmetic stay float. Compared with the plain float model, its
/// outputs show how far the activation grids alone take them: no weight rounding (error feedback, 16-bit weights) can
/// close that part of the gap, only finer activation grids can. Values the kmodel holds only in parts (PRelu halves,
/// channel runs of a table) are not rounded, and a value held in several grids is rounded once (its first
/// layer's), so the figure is optimistic: the activation error is at least this large.
/// </summary>
internal sealed class ActivationGridModel
{
    private readonly Dictionary<string, K210Tensor> _grids = new(StringComparer.Ordinal);
    private readonly double _scale;

    /// <param name="extraBits">For experiments: every value is rounded to a grid 2^extraBits times finer over the same
    /// range, as if the device held it in 8 + extraBits bits.</param>
    public ActivationGridModel(Ir.Graph graph, K210Model model, int extraBits = 0)
    {
        _scale = Math.ScaleB(1, extraBits);
        var names = new LoweredValueNames(graph);
        // The parts of a split layer write slices of one buffer (AliasOf): that buffer holds the value, on its grid.
        // The device input is taken as given: with the preprocessing folded into the first conv its bytes are pixels, not
        // the graph input on a grid.
        var candidates = model.Layers.Where(l => l is not UploadLayer).SelectMany(l => new[] { l.Output, l.Output.AliasOf });
        foreach (var t in candidates)
        {
            // A sampled map (a stride-2 conv computed at full size) holds the value at every other position, on the same grid.
            if (t is { Type: K210ElementType.UInt8, Quant: not null, RangeChannels: null }
                && names.ValueHeldBy(t) is { Shape: { } shape } value && LoweringContext.Chw(shape) is var (c, h, w) && c == t.Channels
                && (t.Sampling is not null || (h == t.Height && w == t.Width)))
            {
                _grids.TryAdd(value.Name, t);
            }
        }
    }

    /// <summary>The values rounded (by name).</summary>
    public IReadOnlyCollection<string> Values => _grids.Keys;

    /// <summary>Rounds <paramref name="values"/>, the contents of <paramref name="value"/>, in place if the kmodel holds it whole.</summary>
    private void Round(Ir.Value value, Span<float> values)
    {
        if (!_grids.TryGetValue(value.Name, out var t))
        {
            return;
        }

        double scale = _scale, max = 255 * scale;
        int plane = values.Length / t.Channels;
        for (int c = 0; c < t.Channels; c++)
        {
            QuantParam q = t.QuantOf(c);
            double s = q.S * scale, b = q.B * scale;
            foreach (ref float x in values.Slice(c * plane, plane))
            {
                double code = Math.Clamp(Math.Round((x * s) - b, MidpointRounding.ToEven), 0, max);
                x = (float)((code + b) / s);
            }
        }
    }

    /// <summary>An evaluator that rounds every float output it computes as it goes.</summary>
    public Evaluation.ReferenceEvaluator Evaluator(Ir.Graph graph, Action<Ir.Value, Ir.Tensor>? observer = null) => new(graph, new Evaluation.EvaluatorOptions
    {
        Observer = (value, tensor) =>
        {
            if (tensor is Ir.Tensor<float> f)
            {
                Round(value, f.Span);
            }

            observer?.Invoke(value, tensor);
        },
    });
}
