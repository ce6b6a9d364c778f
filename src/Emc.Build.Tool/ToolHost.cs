using System.Text;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// The tool's command line: <c>--result &lt;file&gt; @&lt;request&gt;</c> compiles; <c>--design-time @&lt;request&gt;</c> only
/// writes the C# wrappers' placeholders (<see cref="DesignTimeWrappers"/>, exit code 0). Diagnostics go to <paramref name="output"/>
/// as canonical lines, per-model results to the result file. Exit code 0: every model compiled; 1: errors were
/// reported; 2: the command line or request is unusable (also reported as a canonical EMC0806 line).
/// </summary>
internal static class ToolHost
{
    public static int Run(string[] args, IModelCompiler compiler, TextWriter output)
    {
        string? resultFile = null, requestFile = null;
        bool designTime = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--design-time")
            {
                designTime = true;
            }
            else if (args[i] == "--result" && i + 1 < args.Length)
            {
                resultFile = args[++i];
            }
            else if (args[i].StartsWith('@') && args[i].Length > 1)
            {
                requestFile = args[i][1..];
            }
            else
            {
                return Usage(output, $"unexpected argument '{DiagnosticText.Escape(args[i])}'");
            }
        }

        if (requestFile is null)
        {
            return Usage(output, "no request (@file) given");
        }

        string text;
        try
        {
            text = File.ReadAllText(requestFile, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Usage(output, $"cannot read the request '{DiagnosticText.Escape(requestFile)}': {e.Message}");
        }

        if (ModelRequest.Parse(text, out string? error) is not { } request)
        {
            return Usage(output, error!);
        }

        if (designTime)
        {
            DesignTimeWrappers.Run(request, output);
            return 0;
        }

        return new ModelCompileRunner(compiler, output, resultFile).Run(request) ? 0 : 1;
    }

    private static int Usage(TextWriter output, string problem)
    {
        output.WriteLine(CanonicalLine.Format(
            BuildDiagnostics.CompilerUnavailable.Create($"Emc.Build.Tool: {problem}; usage: Emc.Build.Tool --result <file> @<request> | --design-time @<request>"), false, "Emc.Build.Tool"));
        return 2;
    }
}
