using System.Text;
using Emc.Build.Tool;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>
/// Design-time builds (IDE IntelliSense) must not compile models, yet must see each wrapper class. For every
/// model with GenerateCSharp, this keeps an existing wrapper whose member set still matches the ONNX inputs and
/// outputs (its signature line), and otherwise writes a placeholder with the same members and zero values. The
/// placeholder never makes a real build skip work: the real compile is keyed on its own marker file.
/// </summary>
public sealed class EmcGenerateDesignTimeWrappers : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    [Output]
    public ITaskItem[] Generated { get; private set; } = [];

    public override bool Execute()
    {
        var generated = new List<ITaskItem>();
        foreach (var model in Models)
        {
            if (!ModelSwitches.Flag(model.AsModel(), ModelMetadata.GenerateCSharp, false))
            {
                continue;
            }

            var diagnostics = new DiagnosticBag();
            try
            {
                if (Generate(model, diagnostics))
                {
                    generated.Add(new Microsoft.Build.Utilities.TaskItem(model.GetMetadata(ModelMetadata.CSharpFile)));
                }
            }
            catch (Exception e)
            {
                diagnostics.Add(BuildDiagnostics.InternalError.Create(e.GetType().Name + ": " + e.Message, model.ItemSpec));
            }

            // The design-time build reports problems as warnings at most: the real build gives the errors.
            TaskLog.Report(Log, diagnostics.Select(d => d.IsError ? d with { Severity = DiagnosticSeverity.Warning } : d), false, model.ItemSpec);
        }

        Generated = [.. generated];
        return !Log.HasLoggedErrors;
    }

    private static bool Generate(ITaskItem model, DiagnosticBag diagnostics)
    {
        string path = model.GetMetadata(ModelMetadata.CSharpFile);
        var read = OnnxInterfaceReader.Read(model.ItemSpec);
        if (read.Value is not { } modelInterface)
        {
            diagnostics.Add(BuildDiagnostics.OnnxInterfaceUnreadable.Create(
                "no design-time wrapper: " + string.Join("; ", read.Diagnostics.Where(d => d.IsError).Select(d => d.Code + " " + d.Message)),
                model.ItemSpec));
            return File.Exists(path);
        }

        var options = ModelCompileRunner.WrapperOptions(model.AsModel());
        string signature = CSharpWrapperGenerator.SignaturePrefix + CSharpWrapperGenerator.InterfaceSignature(
            CodeIdentifiers.SanitizeNamespace(options.Namespace), CodeIdentifiers.Sanitize(options.ClassName),
            modelInterface.Inputs.Count, modelInterface.Outputs.Count, options.ResourceName is not null);
        if (File.Exists(path) && FirstLine(path) == signature)
        {
            return true;
        }

        var placeholder = new GeneratedModel(
            model.GetMetadata(ModelMetadata.OutputName), Path.GetFileName(model.ItemSpec), [], modelInterface, [], 0, "");
        string text = CSharpWrapperGenerator.Generate(placeholder, options with { DesignTimePlaceholder = true });
        AtomicFile.WriteIfChanged(path, new UTF8Encoding(false).GetBytes(text));
        return true;
    }

    private static string? FirstLine(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine();
    }
}
