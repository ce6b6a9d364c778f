using System.Collections;
using System.Globalization;

namespace Emc.Diagnostics;

/// <summary>Collects diagnostics so that one pass can report every problem at once. With a per-code cap, only the
/// first diagnostics of each code and severity are kept; <see cref="Summarize"/> then adds one "… and N more" line per
/// code that overflowed, so a graph with thousands of identical faults stays readable and cheap.</summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> _items = [];
    private readonly int _maxPerCode;
    private readonly Dictionary<(string Code, DiagnosticSeverity Severity), int> _perCode = [];
    private int _errors;

    public DiagnosticBag()
        : this(int.MaxValue)
    {
    }

    /// <param name="maxPerCode">How many diagnostics of one code and severity are kept (at least 1).</param>
    public DiagnosticBag(int maxPerCode)
    {
        _maxPerCode = Math.Max(1, maxPerCode);
    }

    public int Count => _items.Count;

    public Diagnostic this[int index] => _items[index];

    /// <summary>True when an error was added, kept or not.</summary>
    public bool HasErrors => _errors > 0;

    public void Add(Diagnostic diagnostic)
    {
        if (diagnostic.IsError)
        {
            _errors++;
        }

        if (_maxPerCode == int.MaxValue)
        {
            _items.Add(diagnostic);
            return;
        }

        var key = (diagnostic.Code, diagnostic.Severity);
        int seen = _perCode.GetValueOrDefault(key);
        _perCode[key] = seen + 1;
        if (seen < _maxPerCode)
        {
            _items.Add(diagnostic);
        }
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Add(d);
        }
    }

    /// <summary>Adds one summary per code and severity that went over the cap ("… and N more EMCnnnn errors"), with that
    /// code and severity and the given file. Call once, when the operation is over.</summary>
    public void Summarize(string? file)
    {
        foreach (var ((code, severity), count) in _perCode.OrderBy(kv => kv.Key.Code, StringComparer.Ordinal).ThenBy(kv => kv.Key.Severity))
        {
            int dropped = count - _maxPerCode;
            if (dropped > 0)
            {
                string kind = severity switch { DiagnosticSeverity.Error => "errors", DiagnosticSeverity.Warning => "warnings", _ => "messages" };
                _items.Add(new Diagnostic(code, severity,
                    string.Create(CultureInfo.InvariantCulture, $"… and {dropped} more {code} {kind} (only the first {_maxPerCode} are listed)"), file));
            }
        }

        _perCode.Clear();
    }

    public IEnumerator<Diagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
