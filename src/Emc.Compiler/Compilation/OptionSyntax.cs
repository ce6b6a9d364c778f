using System.Globalization;

namespace Emc.Compiler.Compilation;

/// <summary>The text forms of list-valued options, shared by the CLI and the EmcModel metadata.</summary>
public static class OptionSyntax
{
    /// <summary>
    /// Parses input shapes: <c>NAME=d0,d1,…</c> entries separated by ';' (or given one by one), or a bare
    /// <c>d0,d1,…</c> for a model's only input. Returns null with <paramref name="error"/> set on bad text.
    /// </summary>
    public static Dictionary<string, int[]>? ParseInputShapes(IEnumerable<string> entries, out string? error)
    {
        error = null;
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (string entry in entries.SelectMany(e => e.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            int eq = entry.LastIndexOf('=');
            string name = eq < 0 ? "" : entry[..eq].Trim();
            string dims = eq < 0 ? entry : entry[(eq + 1)..];
            var values = new List<int>();
            foreach (string part in dims.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d < 1)
                {
                    error = $"'{entry}': expected NAME=d0,d1,… (or d0,d1,… for the only input) with positive whole sizes";
                    return null;
                }

                values.Add(d);
            }

            if (!shapes.TryAdd(name, [.. values]))
            {
                error = $"'{entry}': input '{(name.Length == 0 ? "(the only input)" : name)}' is given twice";
                return null;
            }
        }

        return shapes;
    }

    /// <summary>Parses a comma-separated list of tensor names (empty entries dropped); null with an error when none remain.</summary>
    public static List<string>? ParseNames(IEnumerable<string> entries, out string? error)
    {
        var names = entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        error = names.Count == 0 ? "expected one or more comma-separated tensor names" : null;
        return names.Count == 0 ? null : names;
    }

    /// <summary>Canonical text of input shapes (sorted by name), for stamps and reports.</summary>
    public static string Format(IReadOnlyDictionary<string, int[]>? shapes) =>
        shapes is null ? "" : string.Join(';', shapes.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key.Length == 0 ? "" : kv.Key + "=") + string.Join(',', kv.Value.Select(d => d.ToString(CultureInfo.InvariantCulture)))));
}
