namespace Emc.Cli.Inspect;

// Placeholder until ONNX import lands (issue 2): reports that it cannot inspect yet.
public static class OnnxInspector
{
    public static int Run(string path, bool json, TextWriter stdout)
    {
        _ = json;
        _ = stdout;
        Console.Error.WriteLine($"{path}: error EMC0002: ONNX inspection is not available in this build");
        return CliRunner.Errors;
    }
}
