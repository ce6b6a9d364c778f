using System.Text;

namespace Emc.Build.Tool;

/// <summary>Keeps any text on one line of a request or result file: backslash, CR and LF become \\, \r and \n.</summary>
internal static class LineEscape
{
    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\r", "\\r").Replace("\n", "\\n");

    public static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                char next = value[++i];
                text.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
