using System.Text;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// The tool's design-time mode (<c>--design-time</c>): IDE design-time builds must not compile models, yet must see
/// each wrapper class. For every model of the request with GenerateCSharp, this keeps an existing wrapper whose member
/// set still matches the ONNX inputs and outputs (its signature line), and otherwise writes a placeholder with the same
/// members and zero values. Reads only the graph's inputs and outputs. Problems are warnings at most (the real build
/// gives the errors). The placeholder never makes a real build skip work: the real compile is keyed on its marker.
/// </summary>
internal static class DesignTimeWrappers
{
    public static void Run(ModelRequest request, TextWriter output)
    {
        foreach (var model in request.Models.Where(m => ModelSwitches.Flag(m, ModelMetadata.GenerateCSharp, false)))
        {
            var diagnostics = new DiagnosticBag();
            try
            {
                Generate(model, diagnostics);
            }
            catch (Exception e)
            {
                diagnostics.Add(BuildDiagnostics.InternalError.Create(e.GetType().Name + ": " + e.Message, model.ItemSpec));
            }

            foreach (var d in diagnostics)
            {
                output.WriteLine(CanonicalLine.Format(d.IsError ? d with { Severity = DiagnosticSeverity.Warning } : d, false, model.ItemSpec));
            }
        }

        output.Flush();
    }

    private static void Generate(IModelItem model, DiagnosticBag diagnostics)
    {
        string path = model.GetMetadata(ModelMetadata.CSharpFile);
        var read = OnnxInterfaceReader.Read(model.ItemSpec);
        if (read.Value is not { } modelInterface)
        {
            diagnostics.Add(BuildDiagnostics.OnnxInterfaceUnreadable.Create(
                "no design-time wrapper: " + string.Join("; ", read.Diagnostics.Where(d => d.IsError).Select(d => d.Code + " " + d.Message)),
                model.ItemSpec));
            return;
        }

        var options = ModelCompileRunner.WrapperOptions(model);
        string signature = CSharpWrapperGenerator.SignaturePrefix + CSharpWrapperGenerator.InterfaceSignature(
            CodeIdentifiers.SanitizeNamespace(options.Namespace), CodeIdentifiers.Sanitize(options.ClassName),
            modelInterface.Inputs.Count, modelInterface.Outputs.Count, options.ResourceName is not null);
        if (File.Exists(path) && FirstLine(path) == signature)
        {
            return;
        }

        var placeholder = new GeneratedModel(
            model.GetMetadata(ModelMetadata.OutputName), Path.GetFileName(model.ItemSpec), [], modelInterface, [], 0, "");
        string text = CSharpWrapperGenerator.Generate(placeholder, options with { DesignTimePlaceholder = true });
        AtomicFile.WriteIfChanged(path, new UTF8Encoding(false).GetBytes(text));
    }

    private static string? FirstLine(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine();
    }
}
