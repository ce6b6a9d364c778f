using Emc.Build.Tool;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// Logs one line of the tool's output: a canonical diagnostic line (<see cref="CanonicalLine"/>) becomes an error,
/// warning or low-importance message with its EMC code and file, exactly as the in-process task logged it; any
/// other line (progress, a crash's stack trace on stderr) is a plain message.
/// </summary>
internal static class ToolOutput
{
    public static void Log(TaskLoggingHelper log, string line, MessageImportance importance)
    {
        if (!CanonicalLine.TryParse(line, out string category, out string code, out string file, out string message))
        {
            log.LogMessage(importance, "{0}", line);
        }
        else if (category == "error")
        {
            log.LogError(null, code, null, file, 0, 0, 0, 0, message);
        }
        else if (category == "warning")
        {
            log.LogWarning(null, code, null, file, 0, 0, 0, 0, message);
        }
        else
        {
            log.LogMessage(null, code, null, file, 0, 0, 0, 0, MessageImportance.Low, message);
        }
    }
}
