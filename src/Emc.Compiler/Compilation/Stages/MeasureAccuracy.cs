using Emc.Compiler.Analysis;
using Emc.Compiler.Calibration;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Simulates the emitted kmodel on the accuracy samples and compares each output with the float evaluator.</summary>
internal sealed class MeasureAccuracy : ICompileStage
{
    public static readonly MeasureAccuracy Instance = new();

    public string Name => "measure-accuracy";

    public string Summary => "the bit-exact simulator vs the float evaluator on the accuracy samples (held out when the dataset is large enough): SQNR and max error per output and per layer";

    public bool Run(CompileState state)
    {
        var layers = new LayerErrorAccount(state.Graph, state.Model!, localErrors: false);
        // Calibrate decoded every sample and all were usable: they are decoded again here, one at a time.
        var samples = state.Dataset!.Subset(state.Split!.Accuracy);
        state.Accuracy = Measure(state.Graph, state.Kmodel!, state.Model!, samples, state.Progress, layers)
            .Select(a => a with { Data = state.Split.Data }).ToList();
        state.LayerAccuracy = layers.Results();
        if (state.Accuracy.FirstOrDefault(a => double.IsNaN(a.SqnrDb) || !double.IsFinite(a.MaxAbsError)) is { } broken)
        {
            // NaN/Inf weights or ranges: the kmodel "works" but its outputs mean nothing. Never report it as success.
            state.Diagnostics.Add(CompilerDiagnostics.NonFiniteData.Create(
                $"output '{broken.Name}' of the compiled model compares as SQNR {broken.SqnrDb.ToString(System.Globalization.CultureInfo.InvariantCulture)} dB, max |error| {broken.MaxAbsError.ToString(System.Globalization.CultureInfo.InvariantCulture)} against the float model: the weights or the float evaluation hold NaN/Inf", state.SourcePath));
            return false;
        }

        return true;
    }

    /// <summary>SQNR and max error of the simulated kmodel against the float evaluator over the accuracy samples, per
    /// output and (into <paramref name="layers"/>) per layer, from one evaluator run and one traced simulation per sample;
    /// and per output the SQNR of the float model with the activation rounding alone (a second evaluator run).</summary>
    private static List<OutputAccuracy> Measure(Ir.Graph graph, KmodelFile file, K210Model model, CalibrationDataset samples, Action<string>? progress,
        LayerErrorAccount layers)
    {
        var traced = new byte[]?[model.Layers.Count];
        var simulator = KmodelSimulator.Create(file, new SimulatorOptions { Trace = (i, _, bytes) => traced[i] = bytes.ToArray() });
        var result = new List<OutputAccuracy>();
        if (simulator.Value is null)
        {
            return result;
        }

        var reference = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var evaluator = new ReferenceEvaluator(graph, new EvaluatorOptions
        {
            Observer = (value, tensor) => reference[value.Name] = tensor.ToFloatArray(),
        });
        var rounding = new ActivationGridModel(graph, model);
        var rounded = rounding.Evaluator(graph);
        int n = samples.Count;
        var roundingNoise = new double[model.Outputs.Count];
        var signal = new double[model.Outputs.Count];
        var noise = new double[model.Outputs.Count];
        var maxError = new double[model.Outputs.Count];
        int s = 0;
        foreach (var sample in samples.Read(new Emc.Diagnostics.DiagnosticBag()))
        {
            s++;
            progress?.Invoke($"accuracy {s}/{n}");
            reference.Clear();
            Array.Clear(traced);
            var expected = evaluator.Run(Tensor.Create(graph.Inputs[0].Shape!, sample.ModelInput));
            reference[graph.Inputs[0].Name] = sample.ModelInput;
            var activationsOnly = rounded.Run(Tensor.Create(graph.Inputs[0].Shape!, sample.ModelInput));
            var run = simulator.Value.TryRun(sample.DeviceInput);
            if (run.Value is null)
            {
                return result;
            }

            layers.Add(reference, traced, sample.DeviceInput);
            for (int o = 0; o < model.Outputs.Count; o++)
            {
                var got = run.Value.Outputs[o].AsFloat32() ?? [];
                int index = graph.Outputs.FindIndex(v => v.Name == model.Outputs[o].Name);
                var want = expected[index].ToFloatArray();
                var roundedOnly = activationsOnly[index].ToFloatArray();
                for (int i = 0; i < Math.Min(roundedOnly.Length, want.Length); i++)
                {
                    double d = roundedOnly[i] - want[i];
                    roundingNoise[o] += d * d;
                }

                for (int i = 0; i < Math.Min(got.Length, want.Length); i++)
                {
                    double d = got[i] - want[i];
                    signal[o] += (double)want[i] * want[i];
                    noise[o] += d * d;
                    maxError[o] = Math.Max(maxError[o], Math.Abs(d));
                }
            }
        }

        for (int o = 0; o < model.Outputs.Count; o++)
        {
            double sqnr = noise[o] == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal[o] / noise[o]);
            result.Add(new OutputAccuracy(model.Outputs[o].Name, sqnr, maxError[o], s)
            {
                ActivationRoundingSqnrDb = roundingNoise[o] == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal[o] / roundingNoise[o]),
            });
        }

        return result;
    }
}
