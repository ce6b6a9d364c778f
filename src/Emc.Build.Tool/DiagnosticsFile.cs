using System.Text;
using System.Text.Json;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// <c>&lt;name&gt;.diagnostics</c>: the warnings and notes of a model's last successful compile, written with its
/// outputs and replayed by the task EmcReplayDiagnostics on every build, so an up-to-date model still shows
/// them (and a new WarningsAsErrors still fails the build) without recompiling. JSON, one small file per model.
/// </summary>
internal static class DiagnosticsFile
{
    private const long MaxBytes = 4 << 20;

    public static byte[] Serialize(IEnumerable<Diagnostic> diagnostics) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(diagnostics.ToList()) + "\n");

    /// <summary>The recorded diagnostics; empty when the file is missing or unreadable (the model then recompiles).</summary>
    public static IReadOnlyList<Diagnostic> Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return [];
            }

            return JsonSerializer.Deserialize<List<Diagnostic>>(File.ReadAllBytes(path)) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return [];
        }
    }
}
