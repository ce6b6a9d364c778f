using System.CommandLine;
using System.Globalization;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Cli.Commands;

/// <summary><c>emc run model.onnx --input in0.pb … --output-dir DIR</c>: evaluates the model with the float reference
/// evaluator; inputs and outputs are TensorProto files bound by position (output_&lt;k&gt;.pb); integer inputs (and float
/// ones the importer needs constant) are bound as constants (<see cref="RunInputs"/>); prints each output's top values.</summary>
public static class RunCommand
{
    /// <summary>How many of each output's largest values are printed (index and value).</summary>
    public const int TopCount = 5;
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model." };
        var inputs = new Option<FileInfo[]>("--input", "-i") { Description = "A TensorProto .pb file per graph input, in order.", AllowMultipleArgumentsPerToken = false };
        var outputDir = new Option<DirectoryInfo>("--output-dir", "-o") { Description = "Folder for output_<k>.pb.", Required = true };
        var command = new Command("run", "Evaluate an ONNX model with the float reference evaluator on TensorProto inputs.")
        {
            model,
            inputs,
            outputDir,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(inputs) ?? [], parse.GetValue(outputDir)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo model, IReadOnlyList<FileInfo> inputFiles, DirectoryInfo outputDir, TextWriter stdout, TextWriter stderr)
    {
        var diagnostics = new List<Diagnostic>();
        diagnostics.AddRange(inputFiles.Prepend(model).Select((f, i) => CliFiles.Missing(f, i == 0 ? "model file" : "input file")).OfType<Diagnostic>());
        if (diagnostics.Count > 0)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        if (RunInputs.Bind(model.FullName, inputFiles, diagnostics) is not var (graph, bound))
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        var tensors = bound.Select(b => b.Tensor).ToList();
        if (tensors.Count != graph.Inputs.Count)
        {
            diagnostics.Add(CliDiagnostics.InputMismatch.Create(string.Create(CultureInfo.InvariantCulture,
                $"the model has {graph.Inputs.Count} input(s) ({string.Join(", ", graph.Inputs)}), {tensors.Count} --input file(s) were given"), model.FullName));
            return CliRunner.Report(diagnostics, stderr);
        }

        for (int i = 0; i < tensors.Count; i++)
        {
            var expected = graph.Inputs[i];
            if (tensors[i].Type != expected.Type || !tensors[i].Shape.Equals(expected.Shape))
            {
                diagnostics.Add(CliDiagnostics.InputMismatch.Create(string.Create(CultureInfo.InvariantCulture,
                    $"input {i} ('{bound[i].File.Name}') is {tensors[i].Type.Name()}{tensors[i].Shape}; the model's input '{expected.Name}' is {expected}"), bound[i].File.FullName));
            }
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        var evaluator = ReferenceEvaluator.Create(graph);
        diagnostics.AddRange(evaluator.Diagnostics);
        if (evaluator.Value is null)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        var outputs = evaluator.Value.TryRun(tensors);
        diagnostics.AddRange(outputs.Diagnostics);
        if (outputs.Value is null)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        try
        {
            outputDir.Create();
            for (int k = 0; k < outputs.Value.Count; k++)
            {
                string file = Path.Combine(outputDir.FullName, $"output_{k.ToString(CultureInfo.InvariantCulture)}.pb");
                TensorProtoConverter.WriteFile(outputs.Value[k], file, graph.Outputs[k].Name);
                stdout.WriteLine($"{file}: {DiagnosticText.Escape(graph.Outputs[k].Name)} {outputs.Value[k].Type.Name()}{outputs.Value[k].Shape}");
                if (TopValues.Describe(outputs.Value[k], TopCount) is { } top)
                {
                    stdout.WriteLine($"  top-{TopCount}: {top}");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(CliDiagnostics.OutputWriteFailed.Create($"cannot write outputs: {e.Message}", outputDir.FullName));
        }

        return CliRunner.Report(diagnostics, stderr);
    }
}
