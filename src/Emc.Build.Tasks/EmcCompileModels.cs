using System.Text;
using System.Text.Json;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>
/// Compiles resolved EmcModel items (see <see cref="EmcResolveModels"/>) into kmodel, C header, C# wrapper and
/// report. Every model is attempted so one build reports every problem. A model that fails loses ALL its outputs
/// (no partial state; the next build retries it); a model that succeeds gets its files rewritten only where the
/// content changed, then its "compiled" marker touched (the marker is the target's only Output, so unchanged
/// files can keep their timestamps without making the target run forever).
/// </summary>
public sealed class EmcCompileModels : Microsoft.Build.Utilities.Task
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, IncludeFields = true };

    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>Report warnings as errors (EmcTreatWarningsAsErrors).</summary>
    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>
    /// Leave the warnings and notes of successful models to <see cref="EmcReplayDiagnostics"/> (which the targets run
    /// after this task on every build) instead of logging them here too. They are recorded either way.
    /// </summary>
    public bool ReplayDiagnostics { get; set; }

    /// <summary>Optional assembly with an <see cref="IModelCompiler"/> to use instead of the real compiler.</summary>
    public string? CompilerAssembly { get; set; }

    /// <summary>Files written or confirmed by this run (for FileWrites).</summary>
    [Output]
    public ITaskItem[] Generated { get; private set; } = [];

    /// <summary>For tests: a compiler instance that bypasses <see cref="CompilerAssembly"/>.</summary>
    internal IModelCompiler? Compiler { get; set; }

    public override bool Execute()
    {
        try
        {
            return ExecuteCore();
        }
        catch (Exception e)
        {
            // Never MSB4018: whatever escapes the per-model handling is still a coded error.
            TaskLog.Report(Log, [BuildDiagnostics.InternalError.Create($"{e.GetType().FullName}: {e.Message}", Models.FirstOrDefault()?.ItemSpec)], false);
            return false;
        }
    }

    private bool ExecuteCore()
    {
        var generated = new List<ITaskItem>();
        var setup = new DiagnosticBag();
        var compiler = Compiler ?? ModelCompilerFactory.Create(CompilerAssembly, setup);
        TaskLog.Report(Log, setup, TreatWarningsAsErrors, Models.FirstOrDefault()?.ItemSpec);
        if (compiler is null)
        {
            return false;
        }

        foreach (var model in Models)
        {
            var diagnostics = new DiagnosticBag();
            try
            {
                CompileOne(compiler, model, diagnostics, generated);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(BuildDiagnostics.OutputWriteFailed.Create(e.Message, model.ItemSpec));
            }
            catch (Exception e)
            {
                // Never MSB4018: an unexpected exception is still a coded error on the model.
                diagnostics.Add(BuildDiagnostics.InternalError.Create(
                    $"{e.GetType().FullName}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}", model.ItemSpec));
            }

            bool failed = diagnostics.HasErrors || (TreatWarningsAsErrors && diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning));
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

            if (!(ReplayDiagnostics && !failed))
            {
                TaskLog.Report(Log, diagnostics.Select(d => ItemDiagnostics.ForItem(d.WithFile(model.ItemSpec), model)), TreatWarningsAsErrors);
            }
        }

        Generated = [.. generated];
        return !Log.HasLoggedErrors;
    }

    private void CompileOne(IModelCompiler compiler, ITaskItem model, DiagnosticBag diagnostics, List<ITaskItem> generated)
    {
        string onnx = model.ItemSpec;
        var datasetFiles = model.GetMetadata(ModelMetadata.DatasetFiles).Split(';', StringSplitOptions.RemoveEmptyEntries);
        var options = ModelOptionsParser.Parse(model, datasetFiles, onnx, diagnostics);
        if (diagnostics.HasErrors)
        {
            return;
        }

        // What the compile reads, as it is before it starts: the marker records this, not "now", so a model saved
        // during the compile (or replaced by an older file) does not look up to date afterwards.
        var inputFiles = InputStamp.InputsOf(model).Concat(InputStamp.ExternalDataFiles(onnx)).ToList();
        string inputs = InputStamp.Take(inputFiles);
        Log.LogMessage(MessageImportance.Normal, "Emc: compiling {0}", onnx);
        var result = compiler.Compile(onnx, options);
        diagnostics.AddRange(result.Diagnostics);
        if (!result.Succeeded || result.Kmodel is null || result.Interface is null)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Add(BuildDiagnostics.InternalError.Create("the compiler returned no kmodel and no error", onnx));
            }

            return;
        }

        string id = model.GetMetadata(ModelMetadata.OutputName);
        var described = GeneratedModelReader.Describe(id, Path.GetFileName(onnx), result.Kmodel, result.Interface, result.Report);
        // Tail="Auto": the cut part of the graph goes into the header and wrapper as code, when it can.
        if (described.Value is not { } facts)
        {
            diagnostics.Add(BuildDiagnostics.GeneratedKmodelUnreadable.Create(
                "the compiled kmodel does not read back: " + string.Join("; ", described.Diagnostics.Select(d => d.Code + " " + d.Message)), onnx));
            return;
        }

        facts = facts with { Tail = result.Tail };

        // Everything is produced in memory first; only then are files touched.
        var files = new List<(string Path, byte[] Content)> { (model.GetMetadata(ModelMetadata.KmodelFile), result.Kmodel) };
        if (ModelOptionsParser.Flag(model, ModelMetadata.GenerateCHeader, true))
        {
            files.Add((model.GetMetadata(ModelMetadata.HeaderFile), Utf8(CHeaderGenerator.Generate(facts))));
        }

        if (ModelOptionsParser.Flag(model, ModelMetadata.GenerateCSharp, false))
        {
            files.Add((model.GetMetadata(ModelMetadata.CSharpFile), Utf8(CSharpWrapperGenerator.Generate(facts, WrapperOptions(model)))));
        }

        if (ModelOptionsParser.ReportIsHtml(model))
        {
            files.Add((model.GetMetadata(ModelMetadata.ReportFile), CompileReportHtml.ToHtml(result.Report!)));
        }
        else if (ModelOptionsParser.WritesReport(model))
        {
            var report = new { Model = Path.GetFileName(onnx), facts.Sha256, KmodelBytes = result.Kmodel.Length, result.Interface, result.Report };
            files.Add((model.GetMetadata(ModelMetadata.ReportFile), Utf8(JsonSerializer.Serialize(report, s_json) + "\n")));
        }

        files.Add((model.GetMetadata(ModelMetadata.DiagnosticsFile),
            DiagnosticsFile.Serialize(diagnostics.Select(d => ItemDiagnostics.ForItem(d.WithFile(onnx), model)))));
        foreach (var (path, content) in files)
        {
            AtomicFile.WriteIfChanged(path, content);
            generated.Add(new Microsoft.Build.Utilities.TaskItem(path));
        }

        string marker = model.GetMetadata(ModelMetadata.MarkerFile);
        AtomicFile.WriteIfChanged(marker, Utf8(inputs));
        Log.LogMessage(MessageImportance.High, "{0}", CompileSummary.Line(model, facts, result.Report, options));
        AtomicFile.Touch(marker);
        if (InputStamp.Take(inputFiles) != inputs)
        {
            Log.LogMessage(MessageImportance.High, "Emc: {0} or its dataset changed while it was compiled; the next build compiles it again", onnx);
        }

        generated.Add(new Microsoft.Build.Utilities.TaskItem(marker));
    }

    internal static CSharpWrapperOptions WrapperOptions(ITaskItem model) => new(
        model.GetMetadata(ModelMetadata.Namespace),
        model.GetMetadata(ModelMetadata.ClassName),
        model.GetMetadata(ModelMetadata.ResourceName) is { Length: > 0 } resource ? resource : null,
        Public: !string.Equals(model.GetMetadata(ModelMetadata.Access), "internal", StringComparison.OrdinalIgnoreCase),
        Utf8Literal: !string.Equals(model.GetMetadata(ModelMetadata.CSharpUtf8Literal), "false", StringComparison.OrdinalIgnoreCase));

    private static void DeleteOutputs(ITaskItem model)
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
