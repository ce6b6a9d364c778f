using Emc.Compiler.Compilation.Stages;
using Emc.Compiler.Import;
using Emc.Compiler.Passes;
using Emc.Diagnostics;

namespace Emc.Compiler.Compilation;

/// <summary>
/// ONNX → kmodel v3 by the stages <see cref="CompilerPipeline"/> lists: import, lower to K210 layers, calibrate,
/// quantize, plan memory, emit, validate, and measure the simulated model against the float evaluator. Never throws
/// for bad input: every problem is a diagnostic.
/// </summary>
public static class KmodelCompiler
{
    /// <summary>Samples simulated for the accuracy figures of the report.</summary>
    public const int AccuracySamples = 16;

    public static CompileResult Compile(string onnxPath, CompileOptions options, Action<string>? progress = null)
    {
        var (graph, importDiagnostics) = OnnxImporter.ImportPartial(onnxPath, new ImportOptions { InputShapes = options.InputShapes });
        if (graph is null)
        {
            return new CompileResult(null, null, null, importDiagnostics);
        }

        if (importDiagnostics.Any(d => d.IsError))
        {
            // The nodes that imported are still lowered, so one run lists every problem (import and lowering).
            return new CompileResult(null, null, null, [.. importDiagnostics, .. LoweringProblems(graph, options)]);
        }

        var result = Compile(graph, options, progress);
        return result with { Diagnostics = [.. importDiagnostics, .. result.Diagnostics] };
    }

    /// <summary>The lowering errors of a partially imported graph (none when its input has no static shape).</summary>
    private static IEnumerable<Diagnostic> LoweringProblems(Ir.Graph graph, CompileOptions options)
    {
        if (graph.Inputs.Count == 0 || graph.Inputs.Any(i => i.Shape is null))
        {
            return [];
        }

        var diagnostics = new DiagnosticBag();
        K210.Lowering.GraphLowering.Lower(graph, options, diagnostics);
        return diagnostics.Where(d => d.IsError);
    }

    public static CompileResult Compile(Ir.Graph graph, CompileOptions options, Action<string>? progress = null) =>
        CompileWithArtifacts(graph, options, progress).Result;

    /// <summary>Like <see cref="Compile(Ir.Graph, CompileOptions, Action{string}?)"/>, also returning the lowered model
    /// and the samples, for analyses such as <see cref="Analysis.LayerComparison"/>.</summary>
    internal static CompilationArtifacts CompileWithArtifacts(Ir.Graph graph, CompileOptions options, Action<string>? progress = null)
    {
        var diagnostics = new DiagnosticBag();
        var artifacts = new CompilationArtifacts(graph);
        try
        {
            // --tail auto compiles again up to the cut; from a copy taken before the stages rewrote the graph, so the
            // host tail holds the model's own nodes rather than device realisations of them.
            var pristine = options is { AutoTail: true, Outputs: null } ? Ir.GraphCopy.Of(graph) : null;
            artifacts.Result = CompileCore(graph, options, diagnostics, progress, artifacts, pristine);
        }
        catch (DiagnosticException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            artifacts.Result = new CompileResult(null, null, null, [.. diagnostics]);
        }

        return artifacts;
    }

    private static CompileResult CompileCore(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, Action<string>? progress, CompilationArtifacts artifacts,
        Ir.Graph? pristine = null)
    {
        var log = new PassLog();
        foreach (var (name, count) in graph.PassLog.Counts)
        {
            log.Record(name, count);
        }

        var state = new CompileState(graph, options, diagnostics, progress, log);
        foreach (var stage in CompilerPipeline.Stages)
        {
            log.Record(stage);
            if (!stage.Run(state))
            {
                if (stage == LowerToK210.Instance && options is { AutoTail: true, Outputs: null } && state.SuggestedOutputs is { } cut)
                {
                    var source = pristine is not null && cut.All(name => Produces(pristine, name)) ? pristine : graph;
                    artifacts.Graph = source;
                    return CompileDevicePart(source, options, diagnostics, cut, progress, artifacts);
                }

                return new CompileResult(null, null, null, [.. diagnostics]);
            }

            if (stage == VerifyKmodel.Instance)
            {
                artifacts.Model = state.Model;
                artifacts.Kmodel = state.Kmodel;
                artifacts.Calibration = state.Dataset!.Subset(state.Split!.Calibration);
            }
        }

        return state.Result!;
    }

    private static bool Produces(Ir.Graph graph, string name) =>
        graph.Inputs.Any(v => v.Name == name) || graph.Nodes.Any(n => n.Outputs.Any(v => v.Name == name));

    /// <summary>--tail auto: compiles up to <paramref name="cut"/>; the tail's errors become one note of what the host runs.</summary>
    private static CompileResult CompileDevicePart(Ir.Graph graph, CompileOptions options, DiagnosticBag tailDiagnostics, IReadOnlyList<string> cut,
        Action<string>? progress, CompilationArtifacts artifacts)
    {
        var tail = tailDiagnostics.Where(d => d.IsError).ToList();
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(tailDiagnostics.Where(d => !d.IsError && d.Code != CompilerDiagnostics.OutputsSuggestion.Code));
        diagnostics.Add(CompilerDiagnostics.TailLeftToHost.Create(
            $"--tail auto: compiled up to {string.Join(", ", cut)}; the host runs the rest of the graph, which the device cannot: "
            + string.Join("; ", tail.Select(d => d.NodeName is null ? d.Message : $"{d.OpType} '{d.NodeName}'").Distinct().Take(8))
            + (tail.Count > 8 ? $" and {tail.Count - 8} more" : ""),
            graph.SourcePath));
        // AutoTail stays set: with Outputs given it no longer cuts, it asks the cpu-tail stage for the tail as code.
        return CompileCore(graph, options with { Outputs = cut }, diagnostics, progress, artifacts);
    }
}
