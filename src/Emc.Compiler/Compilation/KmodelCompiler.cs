using Emc.Compiler.Calibration;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Emission;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.K210.Memory;
using Emc.Compiler.Quantization;
using Emc.Diagnostics;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Compiler.Compilation;

/// <summary>
/// ONNX → kmodel v3: import, lower to K210 layers, calibrate, quantize, plan memory, emit, validate, and measure
/// the simulated model against the float evaluator. Never throws for bad input: every problem is a diagnostic.
/// </summary>
public static class KmodelCompiler
{
    /// <summary>Samples simulated for the accuracy figures of the report.</summary>
    public const int AccuracySamples = 16;

    public static CompileResult Compile(string onnxPath, CompileOptions options, Action<string>? progress = null)
    {
        var imported = OnnxImporter.Import(onnxPath);
        if (imported.Value is null)
        {
            return new CompileResult(null, null, null, imported.Diagnostics);
        }

        var result = Compile(imported.Value, options, progress);
        return result with { Diagnostics = [.. imported.Diagnostics, .. result.Diagnostics] };
    }

    public static CompileResult Compile(Ir.Graph graph, CompileOptions options, Action<string>? progress = null) =>
        CompileWithArtifacts(graph, options, progress).Result;

    /// <summary>Like <see cref="Compile(Ir.Graph, CompileOptions, Action{string}?)"/>, also returning the lowered model
    /// and the samples, for analyses such as <see cref="LayerComparison"/>.</summary>
    public static CompilationArtifacts CompileWithArtifacts(Ir.Graph graph, CompileOptions options, Action<string>? progress = null)
    {
        var diagnostics = new DiagnosticBag();
        var artifacts = new CompilationArtifacts(graph);
        try
        {
            artifacts.Result = CompileCore(graph, options, diagnostics, progress, artifacts);
        }
        catch (DiagnosticException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            artifacts.Result = new CompileResult(null, null, null, [.. diagnostics]);
        }

        return artifacts;
    }

    private static CompileResult CompileCore(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, Action<string>? progress, CompilationArtifacts artifacts)
    {
        CompileResult Fail() => new(null, null, null, [.. diagnostics]);
        if (options.WeightBits is not (8 or 16))
        {
            diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create($"weight bits must be 8 or 16, not {options.WeightBits}", graph.SourcePath));
            return Fail();
        }

        var model = GraphLowering.Lower(graph, options, diagnostics);
        if (model is null || diagnostics.HasErrors)
        {
            return Fail();
        }

        var inputShape = graph.Inputs[0].Shape!;
        var pre = GraphLowering.Preprocessing(options, inputShape[1], diagnostics, graph.SourcePath)!;
        var samples = DatasetLoader.Load(options, inputShape, pre, diagnostics);
        if (diagnostics.HasErrors)
        {
            return Fail();
        }

        if (samples.Count == 0)
        {
            diagnostics.Add(CompilerDiagnostics.DatasetFile.Create("the dataset holds no usable sample (.bmp/.png/.jpg/.npy/.pb)", graph.SourcePath));
            return Fail();
        }

        var stats = Calibrator.Collect(
            graph,
            QuantizationResolver.RangeSources(model),
            samples.Select(s => (Tensor)Tensor.Create(inputShape, s.ModelInput)),
            progress: n => progress?.Invoke($"calibration {n}/{samples.Count}"));
        QuantizationResolver.Resolve(model, stats, options, diagnostics, graph.SourcePath);
        if (diagnostics.HasErrors)
        {
            return Fail();
        }

        var plan = MemoryPlanner.Plan(model);
        if (plan.KpuUnitsUsed > KpuTensorLayout.TotalUnits)
        {
            diagnostics.Add(CompilerDiagnostics.KpuMemoryExceeded.Create(
                $"the live KPU maps need {plan.KpuUnitsUsed} units of 64 bytes at their peak; KPU RAM has {KpuTensorLayout.TotalUnits} (2 MiB)", graph.SourcePath));
            return Fail();
        }

        var file = KmodelEmitter.Emit(model, plan, options.WeightBits);
        byte[] bytes = KmodelWriter.Write(file);
        var check = KmodelReader.Read(bytes);
        if (check.Value is null)
        {
            foreach (var d in check.Diagnostics.Where(d => d.IsError))
            {
                diagnostics.Add(CompilerDiagnostics.EmittedModelInvalid.Create($"emitted kmodel rejected by the reader: {d.Message}", graph.SourcePath));
            }

            return Fail();
        }

        long needed = bytes.LongLength + check.Value.Header.MainMemUsage;
        if (options.DeviceMemoryBytes > 0 && needed > options.DeviceMemoryBytes)
        {
            diagnostics.Add(CompilerDiagnostics.DeviceMemoryExceeded.Create(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the kmodel ({bytes.LongLength} bytes) plus its main memory ({check.Value.Header.MainMemUsage} bytes) need {needed} bytes; the device has {options.DeviceMemoryBytes} (K210: 6 MiB of SRAM, shared with the firmware). Make the model smaller, or set DeviceMemory / --device-memory (bytes; 0 = no check) for a board that has more"), graph.SourcePath));
            return Fail();
        }

        artifacts.Model = model;
        artifacts.Kmodel = check.Value;
        artifacts.Samples = samples;
        var accuracy = MeasureAccuracy(graph, check.Value, model, samples, progress);
        if (accuracy.FirstOrDefault(a => double.IsNaN(a.SqnrDb) || !double.IsFinite(a.MaxAbsError)) is { } broken)
        {
            // NaN/Inf weights or ranges: the kmodel "works" but its outputs mean nothing. Never report it as success.
            diagnostics.Add(CompilerDiagnostics.NonFiniteData.Create(
                $"output '{broken.Name}' of the compiled model compares as SQNR {broken.SqnrDb.ToString(System.Globalization.CultureInfo.InvariantCulture)} dB, max |error| {broken.MaxAbsError.ToString(System.Globalization.CultureInfo.InvariantCulture)} against the float model: the weights or the float evaluation hold NaN/Inf", graph.SourcePath));
            return Fail();
        }

        var report = CompileReporting.Build(model, plan, bytes.Length, accuracy);
        // The graph input's map (the device tensor's own quantization also covers any folded in-graph normalization).
        var inputQuant = GraphLowering.DeviceQuant(pre);
        var iface = new ModelInterface(
            [new TensorInterface(graph.Inputs[0].Name, inputShape.ToArray(), InterfaceElementType.UInt8, inputQuant.StoredScale, inputQuant.StoredBias)],
            model.Outputs.Select(o => new TensorInterface(o.Name, OutputShape(graph, o.Name, o.Tensor), InterfaceElementType.Float32, 1, 0)).ToList());
        return new CompileResult(bytes, iface, report, [.. diagnostics]);
    }

    /// <summary>An output's shape as the ONNX model declares it (e.g. [1,10]), which the firmware sees; the lowered map's
    /// [1,C,H,W] only where the graph has no such output.</summary>
    private static int[] OutputShape(Ir.Graph graph, string name, K210Tensor tensor) =>
        graph.Outputs.FirstOrDefault(v => v.Name == name)?.Shape?.ToArray() ?? [1, tensor.Channels, tensor.Height, tensor.Width];

    /// <summary>SQNR and max error of the simulated kmodel against the float evaluator over the first samples.</summary>
    private static List<OutputAccuracy> MeasureAccuracy(Ir.Graph graph, KmodelFile file, K210Model model, List<CalibrationSample> samples, Action<string>? progress)
    {
        var simulator = KmodelSimulator.Create(file);
        var result = new List<OutputAccuracy>();
        if (simulator.Value is null)
        {
            return result;
        }

        var evaluator = new ReferenceEvaluator(graph);
        int n = Math.Min(AccuracySamples, samples.Count);
        var signal = new double[model.Outputs.Count];
        var noise = new double[model.Outputs.Count];
        var maxError = new double[model.Outputs.Count];
        for (int s = 0; s < n; s++)
        {
            progress?.Invoke($"accuracy {s + 1}/{n}");
            var expected = evaluator.Run(Tensor.Create(graph.Inputs[0].Shape!, samples[s].ModelInput));
            var run = simulator.Value.TryRun(samples[s].DeviceInput);
            if (run.Value is null)
            {
                return result;
            }

            for (int o = 0; o < model.Outputs.Count; o++)
            {
                var got = run.Value.Outputs[o].AsFloat32() ?? [];
                var want = expected[graph.Outputs.FindIndex(v => v.Name == model.Outputs[o].Name)].ToFloatArray();
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
            result.Add(new OutputAccuracy(model.Outputs[o].Name, sqnr, maxError[o], n));
        }

        return result;
    }
}
