using System.CommandLine;
using Emc.Cli.Inspect;

namespace Emc.Cli.Commands;

/// <summary><c>emc inspect FILE [--json]</c>: describes an ONNX model or a kmodel, chosen by content.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "An .onnx model or a .kmodel file." };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of a table." };
        var command = new Command("inspect", "Describe an ONNX model or a kmodel: inputs, outputs, layers, totals.")
        {
            file,
            json,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(json), Console.Out));
        return command;
    }

    public static int Run(FileInfo file, bool json, TextWriter stdout)
    {
        if (CliFiles.Missing(file, "model file") is { } missing)
        {
            return CliRunner.Report([missing]);
        }

        return ModelFileKind.Detect(file.FullName) == ModelFileKind.Kind.Kmodel
            ? KmodelInspector.Run(file.FullName, json, stdout)
            : OnnxInspector.Run(file.FullName, json, stdout);
    }
}
