using System.Text;

namespace Emc.Build.Tool;

/// <summary>
/// What the tool tells the task besides diagnostics, one line per fact, appended (and flushed) as each model
/// finishes so a killed tool still leaves an accurate record of the models it completed:
/// <code>
/// done &lt;index&gt;          model &lt;index&gt; of the request has all its outputs and its marker
/// message &lt;text&gt;        a line for the build output (the per-model summary) (<see cref="LineEscape"/>)
/// </code>
/// </summary>
internal static class ResultFile
{
    public static void AppendDone(string path, int index) => Append(path, "done " + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void AppendMessage(string path, string text) =>
        Append(path, "message " + LineEscape.Escape(text));

    public static (HashSet<int> Done, List<string> Messages) Read(string path)
    {
        var done = new HashSet<int>();
        var messages = new List<string>();
        if (!File.Exists(path))
        {
            return (done, messages);
        }

        foreach (string line in File.ReadAllLines(path, Encoding.UTF8))
        {
            if (line.StartsWith("done ", StringComparison.Ordinal)
                && int.TryParse(line.Substring(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            {
                done.Add(index);
            }
            else if (line.StartsWith("message ", StringComparison.Ordinal))
            {
                messages.Add(LineEscape.Unescape(line.Substring(8)));
            }
        }

        return (done, messages);
    }

    private static void Append(string path, string line)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        byte[] bytes = new UTF8Encoding(false).GetBytes(line + "\n");
        stream.Write(bytes, 0, bytes.Length);
        stream.Flush(flushToDisk: true);
    }
}
