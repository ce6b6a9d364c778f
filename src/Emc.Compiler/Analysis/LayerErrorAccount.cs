using System.Runtime.InteropServices;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering;

namespace Emc.Compiler.Analysis;

/// <summary>
/// Per-layer SQNR and max error of the simulated layer outputs against the float values they stand for, summed over
/// samples: each sample adds the float evaluator's values (by name) and the simulator's traced layer outputs. Every
/// layer output is dequantized with its tensor's (s, b) and mapped to the ONNX value it represents (sampled at the
/// pending stride-2 positions for un-sampled conv maps); layers whose output maps to no value are left out.
/// </summary>
internal sealed class LayerErrorAccount
{
    private readonly K210Model _model;
    private readonly bool _localErrors;
    private readonly LoweredValueNames _names;
    private readonly Sum?[] _sums;

    /// <param name="localErrors">Also run each KPU conv's float model on its simulated input (the LSB columns of
    /// <see cref="LayerAccuracy"/>, from the last sample): a diagnostic, too slow for every compile.</param>
    public LayerErrorAccount(Ir.Graph graph, K210Model model, bool localErrors)
    {
        _model = model;
        _localErrors = localErrors;
        _names = new LoweredValueNames(graph);
        _sums = new Sum?[model.Layers.Count];
    }

    public int Samples { get; private set; }

    /// <summary>Adds one sample: <paramref name="reference"/> maps value names to float values (the graph input included),
    /// <paramref name="traced"/> holds each layer's simulated output bytes (null where the layer wrote none).</summary>
    public void Add(IReadOnlyDictionary<string, float[]> reference, IReadOnlyList<byte[]?> traced, byte[] deviceInput)
    {
        Samples++;
        var simulated = new Dictionary<K210Tensor, float[]>();
        if (_model.Input is { } device)
        {
            simulated[device] = Decode(device, deviceInput);
        }

        for (int i = 0; i < _model.Layers.Count; i++)
        {
            var layer = _model.Layers[i];
            var t = layer.Output;
            var bytes = traced[i];
            if (layer is UploadLayer)
            {
                // The trace holds the KPU RAM layout; the values are the planar input's.
                if (simulated.TryGetValue(layer.Inputs[0], out var copied))
                {
                    simulated[t] = copied;
                }

                continue;
            }

            // QUANTIZED_ADD writes whole groups of 8 (spec §4.1): its trace may run past the tensor.
            if (bytes is null || bytes.Length < t.Bytes || bytes.Length > t.Bytes + 7)
            {
                continue;
            }

            bytes = bytes.Length == t.Bytes ? bytes : bytes[..(int)t.Bytes];
            float[] got = Decode(t, bytes);
            (int, double)? local = null, arithmetic = null;
            if (_localErrors && layer is KpuConvLayer conv && simulated.TryGetValue(conv.Inputs[0], out var x))
            {
                local = LsbDifference(KpuConvFloatModel.Run(conv, x), bytes);
                arithmetic = LsbDifference(KpuConvFloatModel.Run(conv, x, quantizedWeights: true), bytes);
            }

            simulated[t] = got;
            if (_names.ValueHeldBy(t) is not { } value
                || !reference.TryGetValue(value.Name, out var want) || value.Shape is null)
            {
                continue;
            }

            var (c, h, w) = LoweringContext.Chw(value.Shape);
            var sampling = t.Sampling ?? new MapSampling(0, 0, 1);
            int first = 0;
            if (layer is RequantizeLayer && t.AliasOf is { } whole && whole.Channels == c && t.Channels < c && t.AliasOffset % ((long)h * w) == 0)
            {
                // One run of a table split by channel groups: its channels of the value.
                first = (int)(t.AliasOffset / ((long)h * w));
                want = want.AsSpan(first * h * w, t.Channels * h * w).ToArray();
                c = t.Channels;
            }

            if ((long)c * h * w != want.Length || c != t.Channels
                || sampling.RowOffset + (sampling.Stride * (h - 1)) >= t.Height || sampling.ColOffset + (sampling.Stride * (w - 1)) >= t.Width
                || (t.Sampling is null && (h != t.Height || w != t.Width)))
            {
                continue;
            }

            var sum = _sums[i] ??= new Sum(value.Name, want.Length);
            sum.Local = local;
            sum.Arithmetic = arithmetic;
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int xx = 0; xx < w; xx++)
                    {
                        double r = want[(((ch * h) + y) * w) + xx];
                        double g = got[(((ch * t.Height) + sampling.RowOffset + (sampling.Stride * y)) * t.Width) + sampling.ColOffset + (sampling.Stride * xx)];
                        sum.Signal += r * r;
                        sum.Noise += (g - r) * (g - r);
                        if (Math.Abs(g - r) > sum.MaxError)
                        {
                            sum.MaxError = Math.Abs(g - r);
                            sum.Worst = (ch, y, xx, g, r);
                        }
                    }
                }
            }
        }
    }

    /// <summary>One row per layer compared, in layer order.</summary>
    public IReadOnlyList<LayerAccuracy> Results()
    {
        var result = new List<LayerAccuracy>();
        for (int i = 0; i < _sums.Length; i++)
        {
            if (_sums[i] is not { } s)
            {
                continue;
            }

            var layer = _model.Layers[i];
            var t = layer.Output;
            double sqnr = s.Noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(s.Signal / s.Noise);
            double step = t.Type == K210ElementType.UInt8 && t.Quant is { } q ? 1 / q.S : 0;
            result.Add(new LayerAccuracy(i, layer.Kind, layer.Name, s.Value, sqnr, s.MaxError, step, s.Elements)
            {
                Worst = s.Worst,
                LocalLsb = s.Local,
                ArithmeticLsb = s.Arithmetic,
            });
        }

        return result;
    }

    private static (int, double) LsbDifference(byte[] want, byte[] got)
    {
        int max = 0;
        long sum = 0;
        for (int k = 0; k < want.Length; k++)
        {
            int d = Math.Abs(want[k] - got[k]);
            max = Math.Max(max, d);
            sum += d;
        }

        return (max, (double)sum / want.Length);
    }

    private static float[] Decode(K210Tensor t, byte[] bytes)
    {
        if (t.Type == K210ElementType.Float32)
        {
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        var result = new float[bytes.Length];
        int plane = Math.Max(1, bytes.Length / t.Channels);
        var lut = new float[256];
        for (int c = 0; c < t.Channels && c * plane < bytes.Length; c++)
        {
            var q = t.QuantOf(c);
            for (int v = 0; v < 256; v++)
            {
                lut[v] = (float)q.Dequantize(v);
            }

            for (int k = c * plane; k < Math.Min(bytes.Length, (c + 1) * plane); k++)
            {
                result[k] = lut[bytes[k]];
            }
        }

        return result;
    }

    /// <summary>One layer's running sums.</summary>
    private sealed class Sum(string value, long elements)
    {
        public string Value { get; } = value;

        public long Elements { get; } = elements;

        public double Signal { get; set; }

        public double Noise { get; set; }

        public double MaxError { get; set; }

        public (int C, int Y, int X, double Got, double Want) Worst { get; set; }

        public (int, double)? Local { get; set; }

        public (int, double)? Arithmetic { get; set; }
    }
}
