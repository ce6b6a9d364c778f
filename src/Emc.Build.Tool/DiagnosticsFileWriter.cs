using System.Text;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>Writes a model's <see cref="DiagnosticsFile"/>: its header, then each diagnostic as a canonical line.</summary>
internal static class DiagnosticsFileWriter
{
    public static byte[] Serialize(IEnumerable<Diagnostic> diagnostics, string defaultFile)
    {
        var text = new StringBuilder(DiagnosticsFile.Header).Append('\n');
        foreach (var d in diagnostics)
        {
            text.Append(CanonicalLine.Format(d, treatWarningsAsErrors: false, defaultFile)).Append('\n');
        }

        return new UTF8Encoding(false).GetBytes(text.ToString());
    }
}
