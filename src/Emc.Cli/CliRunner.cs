using System.CommandLine;
using Emc.Diagnostics;

namespace Emc.Cli;

/// <summary>Exit codes and error printing shared by every command.</summary>
public static class CliRunner
{
    public const int Ok = 0;
    public const int Errors = 1;
    public const int Usage = 2;

    /// <summary>Parses and invokes; a command line that does not parse exits with <see cref="Usage"/>.</summary>
    public static int Run(RootCommand root, string[] args)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"emc: usage: {error.Message}");
            }

            Console.Error.WriteLine("Run 'emc --help' for usage.");
            return Usage;
        }

        return parse.Invoke();
    }

    /// <summary>Prints diagnostics in MSBuild canonical format to stderr; returns the exit code they imply.</summary>
    public static int Report(IEnumerable<Diagnostic> diagnostics, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        bool errors = false;
        foreach (var d in diagnostics)
        {
            stderr.WriteLine(d.ToString());
            errors |= d.IsError;
        }

        return errors ? Errors : Ok;
    }
}
