using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// How the tool reports a diagnostic on its output: MSBuild's canonical form <c>file : error EMCnnnn: message</c>
/// (ONNX is binary, so no line or column). File and message are escaped (<see cref="DiagnosticText"/>), so one
/// diagnostic is one line; the task parses the line back with <see cref="ReportedDiagnostic.TryParse"/> and logs it with its code
/// and file, exactly as the in-process task did.
/// </summary>
internal static class CanonicalLine
{
    public static string Format(Diagnostic d, bool treatWarningsAsErrors, string defaultFile)
    {
        string category = d.IsError || (treatWarningsAsErrors && d.Severity == DiagnosticSeverity.Warning) ? "error"
            : d.Severity == DiagnosticSeverity.Warning ? "warning"
            : "info";
        return $"{DiagnosticText.Escape(d.File ?? defaultFile)} : {category} {d.Code}: {DiagnosticText.Escape(Describe(d))}";
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
}
