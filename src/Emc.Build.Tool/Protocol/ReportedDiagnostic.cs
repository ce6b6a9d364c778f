namespace Emc.Build.Tool;

/// <summary>
/// A diagnostic as it crosses the process boundary: one canonical line <c>file : error EMCnnnn: message</c>, written by
/// the tool (<see cref="CanonicalLine"/>) on its output and in <see cref="DiagnosticsFile"/>, parsed back here by the
/// task. Compiler-free and plain string code (no regex source generator), so the task can read it on any MSBuild.
/// </summary>
internal sealed class ReportedDiagnostic
{
    private static readonly string[] s_categories = ["error", "warning", "info"];

    private ReportedDiagnostic(string file, string category, string code, string message)
    {
        File = file;
        Category = category;
        Code = code;
        Message = message;
    }

    /// <summary>The file (escaped as the tool wrote it; may be empty).</summary>
    public string File { get; }

    /// <summary>error, warning or info.</summary>
    public string Category { get; }

    /// <summary>EMCnnnn.</summary>
    public string Code { get; }

    public string Message { get; }

    /// <summary>
    /// Parses a canonical line; false for any other text (progress, a crash's stack trace). The file ends at the first
    /// <c>" : "</c> that a category and a code follow, so a file name may itself contain <c>" : "</c>.
    /// </summary>
    public static bool TryParse(string line, out ReportedDiagnostic? diagnostic)
    {
        for (int at = line.IndexOf(" : ", StringComparison.Ordinal); at >= 0; at = line.IndexOf(" : ", at + 1, StringComparison.Ordinal))
        {
            int start = at + 3;
            foreach (string category in s_categories)
            {
                if (string.CompareOrdinal(line, start, category + " ", 0, category.Length + 1) != 0)
                {
                    continue;
                }

                int codeStart = start + category.Length + 1;
                if (IsCode(line, codeStart) && string.CompareOrdinal(line, codeStart + 7, ": ", 0, 2) == 0)
                {
                    diagnostic = new ReportedDiagnostic(line.Substring(0, at), category, line.Substring(codeStart, 7), line.Substring(codeStart + 9));
                    return true;
                }
            }
        }

        diagnostic = null;
        return false;
    }

    private static bool IsCode(string line, int start)
    {
        if (line.Length < start + 9 || string.CompareOrdinal(line, start, "EMC", 0, 3) != 0)
        {
            return false;
        }

        for (int i = start + 3; i < start + 7; i++)
        {
            if (line[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
