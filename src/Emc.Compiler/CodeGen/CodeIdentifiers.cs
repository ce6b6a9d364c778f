using System.Text;

// Also compiled into the netstandard2.0 MSBuild task (linked source): .NET Standard 2.0 APIs only.
namespace Emc.Compiler.CodeGen;

/// <summary>
/// Turns user text (file names, ONNX tensor names) into identifiers that are valid in BOTH C (C99, ASCII only,
/// no reserved words) and C#, so a model gets the same name in its header and its wrapper.
/// </summary>
public static class CodeIdentifiers
{
    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal)
    {
        // C99 / C++ keywords and common macros that would break a header.
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        "bool", "true", "false", "class", "delete", "new", "this", "template", "typename", "namespace", "using",
        "private", "protected", "public", "virtual", "friend", "operator", "throw", "try", "catch", "NULL",
        "main", "asm", "export", "module", "mutable", "explicit", "nullptr", "constexpr", "noexcept",
        // C# keywords.
        "abstract", "as", "base", "byte", "checked", "decimal", "delegate", "event", "explicit", "fixed", "foreach",
        "implicit", "in", "interface", "internal", "is", "lock", "null", "object", "out", "override", "params",
        "readonly", "ref", "sbyte", "sealed", "stackalloc", "string", "typeof", "uint", "ulong", "unchecked",
        "unsafe", "ushort", "var",
    };

    /// <summary>
    /// ASCII letters, digits and '_' kept; every other run of characters becomes one '_'; leading/trailing '_'
    /// trimmed; a leading digit or a reserved word gets a prefix. Never returns an empty string.
    /// </summary>
    public static string Sanitize(string? text, string fallback = "model")
    {
        var builder = new StringBuilder(text?.Length ?? 0);
        bool pendingSeparator = false;
        foreach (char c in text ?? string.Empty)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
            {
                if (pendingSeparator && builder.Length > 0)
                {
                    builder.Append('_');
                }

                pendingSeparator = false;
                builder.Append(c);
            }
            else
            {
                pendingSeparator = true;
            }
        }

        string result = builder.Length == 0 ? fallback : builder.ToString();
        if (result[0] is >= '0' and <= '9')
        {
            result = "_" + result;
        }

        // Names starting with "__" or "_[A-Z]" are reserved in C; sanitizing never produces them except via the
        // digit prefix ("_1x"), which is fine.
        return s_reserved.Contains(result) ? result + "_" : result;
    }

    /// <summary>A C# namespace: each dot-separated part sanitized; empty parts dropped.</summary>
    public static string SanitizeNamespace(string? text, string fallback = "Emc.Models")
    {
        var parts = (text ?? string.Empty).Split('.')
            .Select(part => part.Trim())
            .Where(part => part.Length > 0)
            .Select(part => Sanitize(part, "_"))
            .ToArray();
        return parts.Length == 0 ? fallback : string.Join(".", parts);
    }

    /// <summary>Upper-case form for C macros (include guards, constants).</summary>
    public static string ToMacro(string identifier) => identifier.ToUpperInvariant();
}
