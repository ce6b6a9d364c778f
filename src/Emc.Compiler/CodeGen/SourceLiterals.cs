using System.Globalization;
using System.Text;

namespace Emc.Compiler.CodeGen;

/// <summary>
/// Escapes arbitrary text into C and C# string literals. Only printable ASCII other than quote, backslash and
/// '?' (C trigraphs) is kept as is; everything else is escaped, so no name can end a literal, a comment or a
/// line in generated code.
/// </summary>
public static class SourceLiterals
{
    /// <summary>A C string literal (with quotes), UTF-8 bytes as octal escapes.</summary>
    public static string C(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\' && b != '?')
            {
                builder.Append((char)b);
            }
            else
            {
                // Octal escapes take at most three digits, so a following digit cannot extend them.
                builder.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A C# regular string literal (with quotes).</summary>
    public static string CSharp(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Text safe inside a /* */ or // comment and on one line: printable ASCII, no "*/".</summary>
    public static string Comment(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c >= 0x20 && c < 0x7F ? c : '?');
        }

        return builder.ToString().Replace("*/", "*\\/", StringComparison.Ordinal);
    }

    /// <summary>Invariant float literal that round-trips ("1.5f", "-0.00392157f").</summary>
    public static string Float(float value)
    {
        if (float.IsNaN(value) || float.IsInfinity(value))
        {
            return "0.0f";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
        {
            text += ".0";
        }

        return text + "f";
    }
}
