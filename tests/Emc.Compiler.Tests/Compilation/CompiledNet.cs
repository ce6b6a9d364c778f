using System.Text;
using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Compiles an in-memory ONNX model (input range [0, 1]) calibrated on given uint8 samples, then runs every sample
/// through the float evaluator (recording each value's min/max) and the simulated kmodel.
/// </summary>
internal sealed class CompiledNet
{
    private CompiledNet(CompileResult result, Ir.Graph graph)
    {
        Result = result;
        Graph = graph;
    }

    public CompileResult Result { get; }

    public Ir.Graph Graph { get; }

    public KmodelFile? File => Result.Kmodel is null ? null : KmodelReader.Read(Result.Kmodel).Value;

    public Dictionary<string, (double Min, double Max)> Ranges { get; } = new(StringComparer.Ordinal);

    public List<float[]> Expected { get; } = [];

    public List<float[]> Simulated { get; } = [];

    public IEnumerable<KmodelLayerType> LayerTypes => File?.Layers.Select(l => l.Type) ?? [];

    /// <summary>Compiles and runs the samples (device bytes, planar CHW); <paramref name="modelOrder"/> rearranges them
    /// into the graph input's order for models with a non-planar (e.g. NHWC) input.</summary>
    public static CompiledNet Compile(ModelProto model, IReadOnlyList<byte[]> samples, CompileOptions? options = null, Func<byte[], byte[]>? modelOrder = null)
    {
        var artifacts = CompileArtifacts(model, samples, options, modelOrder);

        // The compiler may rewrite the graph it is given (split-depthwise-channel-ranges); the truth is the model as written.
        var net = new CompiledNet(artifacts.Result, OnnxImporter.Import(model).Value!);
        if (net.Result.Succeeded)
        {
            net.Run(samples, modelOrder ?? (q => q));
        }

        return net;
    }

    /// <summary>Compiles like <see cref="Compile"/> without running the samples, keeping the lowered model.</summary>
    public static CompilationArtifacts CompileArtifacts(ModelProto model, IReadOnlyList<byte[]> samples, CompileOptions? options = null, Func<byte[], byte[]>? modelOrder = null)
    {
        var imported = OnnxImporter.Import(model);
        var graph = imported.Value ?? throw new AssertFailedException("import failed: " + string.Join(Environment.NewLine, imported.Diagnostics));
        string dir = Path.Combine(Path.GetTempPath(), "emc-net-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            for (int i = 0; i < samples.Count; i++)
            {
                WriteNpy(Path.Combine(dir, $"{i:D3}.npy"), (modelOrder ?? (q => q))(samples[i]).Select(q => q / 255f).ToArray());
            }

            options = (options ?? new CompileOptions()) with { Dataset = [dir], InputRange = (0f, 1f) };
            var artifacts = KmodelCompiler.CompileWithArtifacts(graph, options);
            _ = artifacts.Samples.Count; // decoded (lazily) while the folder still exists
            return artifacts;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public double MaxError()
    {
        double max = 0;
        for (int s = 0; s < Expected.Count; s++)
        {
            for (int i = 0; i < Expected[s].Length; i++)
            {
                max = Math.Max(max, Math.Abs(Expected[s][i] - Simulated[s][i]));
            }
        }

        return max;
    }

    public double SqnrDb()
    {
        double signal = 0, noise = 0;
        for (int s = 0; s < Expected.Count; s++)
        {
            for (int i = 0; i < Expected[s].Length; i++)
            {
                signal += (double)Expected[s][i] * Expected[s][i];
                noise += Math.Pow(Expected[s][i] - Simulated[s][i], 2);
            }
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    private void Run(IReadOnlyList<byte[]> samples, Func<byte[], byte[]> modelOrder)
    {
        var evaluator = new ReferenceEvaluator(Graph, new EvaluatorOptions
        {
            Observer = (value, tensor) =>
            {
                var data = tensor.ToFloatArray();
                if (data.Length == 0)
                {
                    return;
                }

                double lo = data.Min(), hi = data.Max();
                Ranges[value.Name] = Ranges.TryGetValue(value.Name, out var r) ? (Math.Min(r.Min, lo), Math.Max(r.Max, hi)) : (lo, hi);
            },
        });
        var simulator = KmodelSimulator.Create(File!).Value!;
        foreach (var q in samples)
        {
            var x = modelOrder(q).Select(v => v / 255f).ToArray();
            var name = Graph.Inputs[0].Name;
            Ranges[name] = Ranges.TryGetValue(name, out var r) ? (Math.Min(r.Min, x.Min()), Math.Max(r.Max, x.Max())) : (x.Min(), x.Max());
            Expected.Add(evaluator.Run(Tensor.Create(Graph.Inputs[0].Shape!, x))[0].ToFloatArray());
            Simulated.Add(simulator.Run(q).Outputs[0].AsFloat32()!);
        }
    }

    private static void WriteNpy(string path, float[] values)
    {
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({values.Length},), }}";
        header = header.PadRight(118) + "\n";
        using var stream = System.IO.File.Create(path);
        stream.Write([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0, (byte)header.Length, 0]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        foreach (float v in values)
        {
            stream.Write(BitConverter.GetBytes(v));
        }
    }

    public static List<byte[]> RandomSamples(int count, int length, int seed)
    {
        var random = new Random(seed);
        var result = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            var b = new byte[length];
            random.NextBytes(b);
            result.Add(b);
        }

        return result;
    }
}
