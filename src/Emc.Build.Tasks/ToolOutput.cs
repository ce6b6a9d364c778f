using Emc.Build.Tool;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// Logs what the tool reports: a canonical diagnostic line (<see cref="ReportedDiagnostic"/>) becomes an error,
/// warning or low-importance message with its EMC code and file, exactly as the in-process task logged it; any
/// other line (progress, a crash's stack trace on stderr) is a plain message.
/// </summary>
internal static class ToolOutput
{
    public static void Log(TaskLoggingHelper log, string line, MessageImportance importance)
    {
        if (ReportedDiagnostic.TryParse(line, out var diagnostic))
        {
            Log(log, diagnostic!, treatWarningsAsErrors: false);
        }
        else
        {
            log.LogMessage(importance, "{0}", line);
        }
    }

    /// <param name="treatWarningsAsErrors">Logs a warning as an error (a replayed warning under EmcTreatWarningsAsErrors).</param>
    public static void Log(TaskLoggingHelper log, ReportedDiagnostic d, bool treatWarningsAsErrors)
    {
        if (d.Category == "error" || (treatWarningsAsErrors && d.Category == "warning"))
        {
            log.LogError(null, d.Code, null, d.File, 0, 0, 0, 0, d.Message);
        }
        else if (d.Category == "warning")
        {
            log.LogWarning(null, d.Code, null, d.File, 0, 0, 0, 0, d.Message);
        }
        else
        {
            log.LogMessage(null, d.Code, null, d.File, 0, 0, 0, 0, MessageImportance.Low, d.Message);
        }
    }
}
