namespace Emc.Cli.Inspect;

// Placeholder until the kmodel library lands (issue 3): reports that it cannot inspect yet.
public static class KmodelInspector
{
    public static int Run(string path, bool json, TextWriter stdout)
    {
        _ = json;
        _ = stdout;
        Console.Error.WriteLine($"{path}: error EMC0002: kmodel inspection is not available in this build");
        return CliRunner.Errors;
    }
}
