using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Emc.Compiler.Calibration;
using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Compiler.Analysis;

/// <summary>How closely one simulated layer's output follows the float value it stands for.</summary>
internal sealed record LayerAccuracy(
    int Index, string Kind, string Layer, string Value, double SqnrDb, double MaxAbsError, double QuantStep, long Elements)
{
    /// <summary>
    /// KPU convs: the largest and mean |Δq| between the simulated output and the layer's float model run on the
    /// simulated input (<see cref="KpuConvFloatModel"/>): the error the layer itself adds, in output LSBs.
    /// </summary>
    public (int Max, double Mean)? LocalLsb { get; init; }

    /// <summary>Like <see cref="LocalLsb"/> with the quantized weights: the error of the integer pipeline alone.</summary>
    public (int Max, double Mean)? ArithmeticLsb { get; init; }

    /// <summary>(channel, row, column) of the largest error in the IR value's coordinates, and the two values there.</summary>
    public (int C, int Y, int X, double Got, double Want) Worst { get; init; }
}

/// <summary>
/// Per-layer float-vs-simulator comparison: runs the float evaluator and the simulator on one sample, dequantizes
/// every layer output with its tensor's (s, b), maps it to the ONNX value it represents (sampled at the pending
/// stride-2 positions for un-sampled conv maps) and measures SQNR and max error. The first layer whose SQNR
/// collapses is where an error enters.
/// </summary>
internal static class LayerComparison
{
    public static IReadOnlyList<LayerAccuracy> Compare(Ir.Graph graph, K210Model model, KmodelFile file, CalibrationSample sample)
    {
        var reference = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var evaluator = new ReferenceEvaluator(graph, new EvaluatorOptions
        {
            Observer = (value, tensor) => reference[value.Name] = tensor.ToFloatArray(),
        });
        evaluator.Run(Ir.Tensor.Create(graph.Inputs[0].Shape!, sample.ModelInput));
        reference[graph.Inputs[0].Name] = sample.ModelInput;

        var traced = new byte[model.Layers.Count][];
        var simulator = KmodelSimulator.Create(file, new SimulatorOptions { Trace = (i, _, bytes) => traced[i] = bytes.ToArray() }).Value
            ?? throw new ArgumentException("the kmodel does not simulate", nameof(file));
        simulator.Run(sample.DeviceInput);

        var values = graph.Nodes.SelectMany(n => n.Outputs).Concat(graph.Inputs).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var result = new List<LayerAccuracy>();
        var simulated = new Dictionary<K210Tensor, float[]>();
        if (model.Input is { } device)
        {
            simulated[device] = Decode(device, sample.DeviceInput);
        }

        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var t = layer.Output;
            var bytes = traced[i];
            (int, double)? local = null, arithmetic = null;
            if (layer is UploadLayer)
            {
                // The trace holds the KPU RAM layout; the values are the planar input's.
                if (simulated.TryGetValue(layer.Inputs[0], out var copied))
                {
                    simulated[t] = copied;
                }

                continue;
            }

            if (bytes is not null && bytes.Length == t.Bytes)
            {
                simulated[t] = Decode(t, bytes);
                if (layer is KpuConvLayer conv && simulated.TryGetValue(conv.Inputs[0], out var x))
                {
                    local = LsbDifference(KpuConvFloatModel.Run(conv, x), bytes);
                    arithmetic = LsbDifference(KpuConvFloatModel.Run(conv, x, quantizedWeights: true), bytes);
                }
            }

            if (bytes is null || bytes.Length != t.Bytes || ValueOf(t.Name, values) is not { } value
                || !reference.TryGetValue(value.Name, out var want) || value.Shape is null)
            {
                continue;
            }

            float[] got = Decode(t, bytes);
            var (c, h, w) = LoweringContext.Chw(value.Shape);
            var sampling = t.Sampling ?? new MapSampling(0, 0, 1);
            if ((long)c * h * w != want.Length || c != t.Channels
                || sampling.RowOffset + (sampling.Stride * (h - 1)) >= t.Height || sampling.ColOffset + (sampling.Stride * (w - 1)) >= t.Width
                || (t.Sampling is null && (h != t.Height || w != t.Width)))
            {
                continue;
            }

            double signal = 0, noise = 0, maxError = 0;
            (int, int, int, double, double) worst = default;
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        double r = want[(((ch * h) + y) * w) + x];
                        double g = got[(((ch * t.Height) + sampling.RowOffset + (sampling.Stride * y)) * t.Width) + sampling.ColOffset + (sampling.Stride * x)];
                        signal += r * r;
                        noise += (g - r) * (g - r);
                        if (Math.Abs(g - r) > maxError)
                        {
                            maxError = Math.Abs(g - r);
                            worst = (ch, y, x, g, r);
                        }
                    }
                }
            }

            double sqnr = noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
            double step = t.Type == K210ElementType.UInt8 && t.Quant is { } q ? 1 / q.S : 0;
            result.Add(new LayerAccuracy(i, layer.Kind, layer.Name, value.Name, sqnr, maxError, step, want.Length) { Worst = worst, LocalLsb = local, ArithmeticLsb = arithmetic });
        }

        return result;
    }

    /// <summary>A readable table, one line per compared layer.</summary>
    public static string Format(IEnumerable<LayerAccuracy> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("  #  kind                       SQNR dB   max err   step      local LSB max/mean  arith LSB  value (worst at c,y,x: got/want)");
        foreach (var r in rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Index,3}  {r.Kind,-24} {r.SqnrDb,8:F2}  {r.MaxAbsError,8:G4}  {r.QuantStep,8:G4}  {(r.LocalLsb is { } l ? $"{l.Max,4}/{l.Mean,6:F3}" : "     -     ")}  {(r.ArithmeticLsb is { } a ? $"{a.Max,4}/{a.Mean,6:F3}" : "     -     ")}  {r.Value} ({r.Worst.C},{r.Worst.Y},{r.Worst.X}: {r.Worst.Got:G4}/{r.Worst.Want:G4})"));
        }

        return sb.ToString();
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

        var q = t.Quant!.Value;
        var lut = new float[256];
        for (int v = 0; v < 256; v++)
        {
            lut[v] = (float)q.Dequantize(v);
        }

        var result = new float[bytes.Length];
        for (int k = 0; k < bytes.Length; k++)
        {
            result[k] = lut[bytes[k]];
        }

        return result;
    }

    /// <summary>The IR value a lowered tensor's name ("value[.suffix]#n") refers to.</summary>
    private static Ir.Value? ValueOf(string tensorName, Dictionary<string, Ir.Value> values)
    {
        int hash = tensorName.LastIndexOf('#');
        string name = hash >= 0 ? tensorName[..hash] : tensorName;
        while (true)
        {
            if (values.TryGetValue(name, out var v))
            {
                return v;
            }

            int dot = name.LastIndexOf('.');
            if (dot <= 0)
            {
                return null;
            }

            name = name[..dot];
        }
    }
}
