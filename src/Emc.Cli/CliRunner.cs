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
        if (parse.Errors.Count > 0 && parse.CommandResult.Command == root && args.Length > 0 && !args[0].StartsWith('-'))
        {
            // One message for an unknown command, not "required command was not provided" beside it.
            Console.Error.WriteLine($"emc: usage: unknown command '{Emc.Diagnostics.DiagnosticText.Escape(args[0])}'; the commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}");
            Console.Error.WriteLine("Run 'emc --help' for usage.");
            return Usage;
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"emc: usage: {error.Message}");
            }

            Console.Error.WriteLine("Run 'emc --help' for usage.");
            return Usage;
        }

        try
        {
            // No System.CommandLine stack-trace printer: a bug still ends as one coded line and exit code 1.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Report([InternalError(e)]);
        }
    }

    /// <summary>EMC0012 for an exception no command handled (one line: type and message, no stack trace).</summary>
    public static Diagnostic InternalError(Exception e) =>
        CliDiagnostics.InternalError.Create($"internal error, please report it: {e.GetType().FullName}: {e.Message}");

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
