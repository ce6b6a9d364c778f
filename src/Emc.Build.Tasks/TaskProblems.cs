using System.Globalization;
using System.Text;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>One error found by a task: its EMC code (<see cref="TaskCodes"/>), message and file.</summary>
internal sealed class TaskProblem(string code, string message, string? file)
{
    public string Code { get; } = code;

    public string Message { get; } = message;

    public string? File { get; } = file;
}

/// <summary>
/// The errors a task collects before logging them in MSBuild's canonical form, <c>file : error EMCnnnn: message</c>
/// (ONNX is binary: no line or column). Control characters in user-supplied names are escaped
/// (<see cref="OneLine"/>) so one error is always one line.
/// </summary>
internal sealed class TaskProblems
{
    private readonly List<TaskProblem> _items = [];

    public IReadOnlyList<TaskProblem> Items => _items;

    public bool Any => _items.Count > 0;

    public void Add(string code, string message, string? file) => _items.Add(new TaskProblem(code, message, file));

    public void Log(TaskLoggingHelper log, string? defaultFile = null)
    {
        foreach (var problem in _items)
        {
            string? file = problem.File ?? defaultFile;
            log.LogError(null, problem.Code, null, file is null ? null : OneLine(file), 0, 0, 0, 0, OneLine(problem.Message));
        }
    }

    /// <summary>
    /// Control characters (newlines, ESC, NUL, …), Unicode line separators and bidirectional overrides as <c>\n</c>,
    /// <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>: the same escaping as the tool's diagnostics.
    /// </summary>
    public static string OneLine(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (char c in text)
        {
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
