using System.Text;

namespace Emc.Build.Tool;

/// <summary>
/// <c>&lt;name&gt;.diagnostics</c>: the warnings and notes of a model's last successful compile, written by the tool
/// with its outputs (<see cref="DiagnosticsFileWriter"/>) and replayed by the task EmcReplayDiagnostics on every build,
/// so an up-to-date model still shows them (and a new WarningsAsErrors still fails the build) without recompiling.
/// Text, compiler-free to read: the header <c>emc-diagnostics 1</c>, then one canonical line per diagnostic
/// (<see cref="ReportedDiagnostic"/>) with the diagnostic's own severity (warnings-as-errors is applied on replay).
/// </summary>
internal static class DiagnosticsFile
{
    public const string Header = "emc-diagnostics 1";

    private const long MaxBytes = 4 << 20;

    /// <summary>The recorded diagnostics; empty when the file is missing, too large or not in this format.</summary>
    public static IReadOnlyList<ReportedDiagnostic> Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return [];
            }

            string[] lines = File.ReadAllLines(path, Encoding.UTF8);
            if (lines.Length == 0 || lines[0] != Header)
            {
                return [];
            }

            var diagnostics = new List<ReportedDiagnostic>();
            foreach (string line in lines.Skip(1))
            {
                if (ReportedDiagnostic.TryParse(line, out var d))
                {
                    diagnostics.Add(d!);
                }
            }

            return diagnostics;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
