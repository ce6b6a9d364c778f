using System.Text.RegularExpressions;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// How the tool reports a diagnostic on its output: MSBuild's canonical form <c>file : error EMCnnnn: message</c>
/// (ONNX is binary, so no line or column). File and message are escaped (<see cref="DiagnosticText"/>), so one
/// diagnostic is one line; the task parses the line back with <see cref="TryParse"/> and logs it with its code
/// and file, exactly as the in-process task did.
/// </summary>
internal static partial class CanonicalLine
{
    public static string Format(Diagnostic d, bool treatWarningsAsErrors, string defaultFile)
    {
        string category = d.IsError || (treatWarningsAsErrors && d.Severity == DiagnosticSeverity.Warning) ? "error"
            : d.Severity == DiagnosticSeverity.Warning ? "warning"
            : "info";
        return $"{DiagnosticText.Escape(d.File ?? defaultFile)} : {category} {d.Code}: {DiagnosticText.Escape(Describe(d))}";
    }

    /// <summary>Parses a line <see cref="Format"/> wrote; false for any other text (progress, a crash's stack trace).</summary>
    public static bool TryParse(string line, out string category, out string code, out string file, out string message)
    {
        var match = LinePattern().Match(line);
        category = match.Groups["category"].Value;
        code = match.Groups["code"].Value;
        file = match.Groups["file"].Value;
        message = match.Groups["message"].Value;
        return match.Success;
    }

    /// <summary>The message with the node and op appended when it does not name them already.</summary>
    internal static string Describe(Diagnostic d)
    {
        if (d.NodeName is null || d.Message.Contains(d.NodeName, StringComparison.Ordinal))
        {
            return d.Message;
        }

        return d.OpType is null ? $"{d.Message} (node '{d.NodeName}')" : $"{d.Message} (node '{d.NodeName}', op {d.OpType})";
    }

    [GeneratedRegex(@"^(?<file>.*?) : (?<category>error|warning|info) (?<code>EMC[0-9]{4}): (?<message>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LinePattern();
}
