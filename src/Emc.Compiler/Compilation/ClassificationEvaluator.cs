using Emc.Compiler.Calibration;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering;
using Emc.Diagnostics;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Compiler.Compilation;

/// <summary>One labelled input: an image (or .npy/.pb) and its class index.</summary>
public sealed record LabelledSample(string Path, int Label);

/// <summary>Top-1 of one class for both models, and what the kmodel mistook it for most often.</summary>
public sealed record ClassEvaluation(int Label, string Name, int Samples, int FloatTop1, int KmodelTop1, IReadOnlyList<(int Predicted, int Count)> KmodelConfusions)
{
    public double FloatAccuracy => Samples == 0 ? 0 : (double)FloatTop1 / Samples;

    public double KmodelAccuracy => Samples == 0 ? 0 : (double)KmodelTop1 / Samples;
}

/// <summary>Classification accuracy of the float model and of the simulated kmodel on a labelled set.</summary>
public sealed record ClassificationEvaluation(
    int Samples,
    int FloatTop1,
    int FloatTop5,
    int KmodelTop1,
    int KmodelTop5,
    int Top1Agreement,
    IReadOnlyList<ClassEvaluation> Classes,
    IReadOnlyList<string> Skipped)
{
    public static double Rate(int count, int samples) => samples == 0 ? 0 : (double)count / samples;
}

/// <summary>
/// Runs every labelled sample through the float evaluator and the bit-exact kmodel simulator, with the same input map
/// as compilation (<see cref="CompileOptions"/> input range / mean / std / channel order), and counts top-1 / top-5
/// hits on the first output, agreement of the two top-1 classes and per-class confusions.
/// </summary>
public static class ClassificationEvaluator
{
    public static Result<ClassificationEvaluation> Evaluate(
        Ir.Graph graph,
        KmodelFile kmodel,
        CompileOptions options,
        IReadOnlyList<LabelledSample> samples,
        Func<int, string>? className = null,
        Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(kmodel);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(samples);
        var diagnostics = new DiagnosticBag();
        var inputShape = graph.Inputs[0].Shape!;
        var pre = InputPreprocessing.FromOptions(options, inputShape[1], diagnostics, graph.SourcePath);
        var simulator = KmodelSimulator.Create(kmodel);
        diagnostics.AddRange(simulator.Diagnostics);
        if (pre is null || simulator.Value is null || diagnostics.HasErrors)
        {
            return new Result<ClassificationEvaluation>(null, [.. diagnostics]);
        }

        var evaluator = new ReferenceEvaluator(graph);
        int floatTop1 = 0, floatTop5 = 0, kTop1 = 0, kTop5 = 0, agree = 0, done = 0;
        var skipped = new List<string>();
        var perClass = new SortedDictionary<int, (int N, int F, int K, Dictionary<int, int> Confusions)>();
        for (int i = 0; i < samples.Count; i++)
        {
            progress?.Invoke($"eval {i + 1}/{samples.Count}");
            var s = samples[i];
            var loadDiagnostics = new DiagnosticBag();
            var loaded = DatasetLoader.Load(options with { Dataset = [s.Path], MaxCalibrationSamples = 1 }, K210.Lowering.InputLayout.Planar(inputShape), pre, loadDiagnostics);
            if (loaded.Count != 1)
            {
                skipped.Add(s.Path);
                continue;
            }

            var sample = loaded[0];
            float[] expected = evaluator.Run(Tensor.Create(inputShape, sample.ModelInput))[0].ToFloatArray();
            var run = simulator.Value.TryRun(sample.DeviceInput);
            float[]? got = run.Value?.Outputs[0].AsFloat32();
            if (got is null)
            {
                skipped.Add(s.Path);
                continue;
            }

            done++;
            var fTop = TopK(expected, 5);
            var kTop = TopK(got, 5);
            bool f1 = fTop[0] == s.Label, k1 = kTop[0] == s.Label;
            floatTop1 += f1 ? 1 : 0;
            kTop1 += k1 ? 1 : 0;
            floatTop5 += fTop.Contains(s.Label) ? 1 : 0;
            kTop5 += kTop.Contains(s.Label) ? 1 : 0;
            agree += fTop[0] == kTop[0] ? 1 : 0;
            (int N, int F, int K, Dictionary<int, int> Confusions) c = perClass.TryGetValue(s.Label, out var existing) ? existing : (0, 0, 0, new Dictionary<int, int>());
            if (!k1)
            {
                c.Confusions[kTop[0]] = c.Confusions.GetValueOrDefault(kTop[0]) + 1;
            }

            perClass[s.Label] = (c.N + 1, c.F + (f1 ? 1 : 0), c.K + (k1 ? 1 : 0), c.Confusions);
        }

        var classes = perClass.Select(p => new ClassEvaluation(p.Key, className?.Invoke(p.Key) ?? p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Value.N, p.Value.F, p.Value.K,
            p.Value.Confusions.OrderByDescending(x => x.Value).ThenBy(x => x.Key).Select(x => (x.Key, x.Value)).ToList())).ToList();
        return new Result<ClassificationEvaluation>(new ClassificationEvaluation(done, floatTop1, floatTop5, kTop1, kTop5, agree, classes, skipped), [.. diagnostics]);
    }

    /// <summary>Indices of the k largest values, largest first; ties go to the lower index.</summary>
    public static int[] TopK(float[] values, int k)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Enumerable.Range(0, values.Length).OrderByDescending(i => float.IsNaN(values[i]) ? float.NegativeInfinity : values[i]).ThenBy(i => i).Take(k).ToArray();
    }
}
