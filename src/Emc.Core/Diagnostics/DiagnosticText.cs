using System.Globalization;
using System.Text;

namespace Emc.Diagnostics;

/// <summary>
/// Makes user-controlled text (ONNX node and tensor names, file names, metadata) safe to print: control characters
/// (newlines, ESC of ANSI sequences, NUL, …), Unicode line/paragraph separators and bidirectional overrides are
/// written as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>, so one diagnostic is always one line and a model
/// cannot forge another diagnostic line or recolour the terminal.
/// </summary>
public static class DiagnosticText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        int i = 0;
        while (i < text.Length && !NeedsEscape(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var b = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            _ = c switch
            {
                '\n' => b.Append("\\n"),
                '\r' => b.Append("\\r"),
                '\t' => b.Append("\\t"),
                _ when NeedsEscape(c) => b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => b.Append(c),
            };
        }

        return b.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f';
}
