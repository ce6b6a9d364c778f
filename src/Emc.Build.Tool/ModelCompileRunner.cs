using System.Text;
using System.Text.Json;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// Compiles the models of one request into kmodel, C header, C# wrapper and report. Every model is attempted so
/// one build reports every problem. A model that fails loses ALL its outputs (no partial state; the next build
/// retries it); a model that succeeds gets its files rewritten only where the content changed (temporary file +
/// rename), then its "compiled" marker touched, then a <c>done</c> line in the result file — the task removes the
/// outputs of any model without one (the tool was killed: build cancelled).
/// </summary>
internal sealed class ModelCompileRunner(IModelCompiler compiler, TextWriter output, string? resultFile)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, IncludeFields = true };

    /// <returns>True when no error was reported.</returns>
    public bool Run(ModelRequest request)
    {
        bool ok = true;
        for (int index = 0; index < request.Models.Count; index++)
        {
            var model = request.Models[index];
            var diagnostics = new DiagnosticBag();
            string? summary = null;
            try
            {
                summary = CompileOne(model, diagnostics);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(BuildDiagnostics.OutputWriteFailed.Create(e.Message, model.ItemSpec));
            }
            catch (Exception e)
            {
                // Never a bare crash: an unexpected exception is still a coded error on the model.
                diagnostics.Add(BuildDiagnostics.InternalError.Create(
                    $"{e.GetType().FullName}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}", model.ItemSpec));
            }

            bool failed = diagnostics.HasErrors || (request.TreatWarningsAsErrors && diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning));
            if (failed)
            {
                try
                {
                    DeleteOutputs(model);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // e.g. a read-only output folder after EMC0805: the stale outputs stay, the build still fails.
                    diagnostics.Add(BuildDiagnostics.OutputWriteFailed.Create("cannot remove the outputs of the failed compile: " + e.Message, model.ItemSpec));
                }
            }

            if (!(request.ReplayDiagnostics && !failed))
            {
                foreach (var d in diagnostics)
                {
                    output.WriteLine(CanonicalLine.Format(ItemDiagnostics.ForItem(d.WithFile(model.ItemSpec), model), request.TreatWarningsAsErrors, model.ItemSpec));
                }
            }

            output.Flush();
            ok &= !failed;
            if (!failed && resultFile is not null)
            {
                ResultFile.AppendMessage(resultFile, summary!);
                ResultFile.AppendDone(resultFile, index);
            }
        }

        return ok;
    }

    /// <returns>The model's summary line; null when it failed (the errors are in <paramref name="diagnostics"/>).</returns>
    private string? CompileOne(IModelItem model, DiagnosticBag diagnostics)
    {
        string onnx = model.ItemSpec;
        var datasetFiles = model.GetMetadata(ModelMetadata.DatasetFiles).Split(';', StringSplitOptions.RemoveEmptyEntries);
        var options = ModelOptionsParser.Parse(model, datasetFiles, onnx, diagnostics);
        if (diagnostics.HasErrors)
        {
            return null;
        }

        // What the compile reads, as it is before it starts: the marker records this, not "now", so a model saved
        // during the compile (or replaced by an older file) does not look up to date afterwards.
        var inputFiles = InputStamp.InputsOf(model).Concat(ExternalDataFiles.Of(onnx)).ToList();
        string inputs = InputStamp.Take(inputFiles);
        output.WriteLine($"Emc: compiling {DiagnosticText.Escape(onnx)}");
        var result = compiler.Compile(onnx, options);
        diagnostics.AddRange(result.Diagnostics);
        if (!result.Succeeded || result.Kmodel is null || result.Interface is null)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Add(BuildDiagnostics.InternalError.Create("the compiler returned no kmodel and no error", onnx));
            }

            return null;
        }

        string id = model.GetMetadata(ModelMetadata.OutputName);
        var described = GeneratedModelReader.Describe(id, Path.GetFileName(onnx), result.Kmodel, result.Interface, result.Report);
        // Tail="Auto": the cut part of the graph goes into the header and wrapper as code, when it can.
        if (described.Value is not { } facts)
        {
            diagnostics.Add(BuildDiagnostics.GeneratedKmodelUnreadable.Create(
                "the compiled kmodel does not read back: " + string.Join("; ", described.Diagnostics.Select(d => d.Code + " " + d.Message)), onnx));
            return null;
        }

        facts = facts with { Tail = result.Tail };

        // Everything is produced in memory first; only then are files touched.
        var files = new List<(string Path, byte[] Content)> { (model.GetMetadata(ModelMetadata.KmodelFile), result.Kmodel) };
        if (ModelSwitches.Flag(model, ModelMetadata.GenerateCHeader, true))
        {
            files.Add((model.GetMetadata(ModelMetadata.HeaderFile), Utf8(CHeaderGenerator.Generate(facts))));
        }

        if (ModelSwitches.Flag(model, ModelMetadata.GenerateCSharp, false))
        {
            files.Add((model.GetMetadata(ModelMetadata.CSharpFile), Utf8(CSharpWrapperGenerator.Generate(facts, WrapperOptions(model)))));
        }

        if (ModelSwitches.ReportIsHtml(model))
        {
            files.Add((model.GetMetadata(ModelMetadata.ReportFile), CompileReportHtml.ToHtml(result.Report!)));
        }
        else if (ModelSwitches.WritesReport(model))
        {
            var report = new { Model = Path.GetFileName(onnx), facts.Sha256, KmodelBytes = result.Kmodel.Length, result.Interface, result.Report };
            files.Add((model.GetMetadata(ModelMetadata.ReportFile), Utf8(JsonSerializer.Serialize(report, s_json) + "\n")));
        }

        files.Add((model.GetMetadata(ModelMetadata.DiagnosticsFile),
            DiagnosticsFileWriter.Serialize(diagnostics.Select(d => ItemDiagnostics.ForItem(d.WithFile(onnx), model)), onnx)));
        foreach (var (path, content) in files)
        {
            AtomicFile.WriteIfChanged(path, content);
        }

        string marker = model.GetMetadata(ModelMetadata.MarkerFile);
        AtomicFile.WriteIfChanged(marker, Utf8(inputs));
        AtomicFile.Touch(marker);
        if (InputStamp.Take(inputFiles) != inputs)
        {
            output.WriteLine($"Emc: {DiagnosticText.Escape(onnx)} or its dataset changed while it was compiled; the next build compiles it again");
        }

        return CompileSummary.Line(model, facts, result.Report, options);
    }

    internal static CSharpWrapperOptions WrapperOptions(IModelItem model) => new(
        model.GetMetadata(ModelMetadata.Namespace),
        model.GetMetadata(ModelMetadata.ClassName),
        model.GetMetadata(ModelMetadata.ResourceName) is { Length: > 0 } resource ? resource : null,
        Public: !string.Equals(model.GetMetadata(ModelMetadata.Access), "internal", StringComparison.OrdinalIgnoreCase),
        Utf8Literal: !string.Equals(model.GetMetadata(ModelMetadata.CSharpUtf8Literal), "false", StringComparison.OrdinalIgnoreCase));

    /// <summary>Every output of a model; also used by the task for models a killed tool did not finish.</summary>
    internal static void DeleteOutputs(IModelItem model)
    {
        foreach (string name in new[] { ModelMetadata.MarkerFile, ModelMetadata.DiagnosticsFile, ModelMetadata.KmodelFile, ModelMetadata.HeaderFile, ModelMetadata.CSharpFile, ModelMetadata.ReportFile })
        {
            string path = model.GetMetadata(name);
            if (path.Length > 0)
            {
                AtomicFile.DeleteIfExists(path);
            }
        }
    }

    private static byte[] Utf8(string text) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
}
