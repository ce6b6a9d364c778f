using System.CommandLine;
using System.Globalization;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Cli.Commands;

/// <summary><c>emc run model.onnx --input in0.pb … --output-dir DIR</c>: evaluates the model with the float reference
/// evaluator; inputs and outputs are TensorProto files bound by position (output_&lt;k&gt;.pb).</summary>
public static class RunCommand
{

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
        var import = OnnxImporter.Import(model.FullName);
        var diagnostics = new List<Diagnostic>(import.Diagnostics);
        if (import.Value is not { } graph)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        var tensors = new List<Tensor>();
        foreach (var file in inputFiles)
        {
            var read = TensorProtoConverter.ReadFile(file.FullName);
            diagnostics.AddRange(read.Diagnostics);
            if (read.Value is not null)
            {
                tensors.Add(read.Value);
            }
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return CliRunner.Report(diagnostics, stderr);
        }

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
                    $"input {i} ('{inputFiles[i].Name}') is {tensors[i].Type.Name()}{tensors[i].Shape}; the model's input '{expected.Name}' is {expected}"), inputFiles[i].FullName));
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
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(CliDiagnostics.OutputWriteFailed.Create($"cannot write outputs: {e.Message}", outputDir.FullName));
        }

        return CliRunner.Report(diagnostics, stderr);
    }
}
