using Emc.Build.Tool;
using Emc.Diagnostics;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// Logs diagnostics in MSBuild's canonical form: <c>file : error EMCnnnn: message</c> with the model's full path
/// as the file (ONNX is binary: no line/column) and the node and op in the message. Control characters in
/// user-supplied names are escaped so one diagnostic is always one line.
/// </summary>
internal static class TaskLog
{
    public static void Report(TaskLoggingHelper log, IEnumerable<Diagnostic> diagnostics, bool treatWarningsAsErrors, string? defaultFile = null)
    {
        foreach (var d in diagnostics)
        {
            string message = OneLine(Describe(d));
            string? file = d.File ?? defaultFile;
            file = file is null ? null : DiagnosticText.Escape(file);
            if (d.IsError || (treatWarningsAsErrors && d.Severity == DiagnosticSeverity.Warning))
            {
                log.LogError(null, d.Code, null, file, 0, 0, 0, 0, message);
            }
            else if (d.Severity == DiagnosticSeverity.Warning)
            {
                log.LogWarning(null, d.Code, null, file, 0, 0, 0, 0, message);
            }
            else
            {
                log.LogMessage(null, d.Code, null, file, 0, 0, 0, 0, Microsoft.Build.Framework.MessageImportance.Low, message);
            }
        }
    }

    internal static string Describe(Diagnostic d)
    {
        if (d.NodeName is null || d.Message.Contains(d.NodeName, StringComparison.Ordinal))
        {
            return d.Message;
        }

        return d.OpType is null ? $"{d.Message} (node '{d.NodeName}')" : $"{d.Message} (node '{d.NodeName}', op {d.OpType})";
    }

    internal static string OneLine(string text) => DiagnosticText.Escape(text);
}
