using System.Globalization;

namespace Emc.Build.Tool;

/// <summary>
/// The InputShape metadata: <c>NAME=d0,d1,…</c> entries separated by ';', or a bare <c>d0,d1,…</c> for a model's only
/// input (the CLI's --input-shape syntax, Emc.Compiler's OptionSyntax); compiler-free so the task can check it.
/// </summary>
internal static class InputShapeText
{
    /// <returns>The shapes by input name ("" = the only input), or null with <paramref name="error"/> set.</returns>
    public static SortedDictionary<string, int[]>? Parse(string text, out string? error)
    {
        error = null;
        var shapes = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (string entry in text.Split([';'], StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            int eq = entry.LastIndexOf('=');
            string name = eq < 0 ? "" : entry.Substring(0, eq).Trim();
            string dims = eq < 0 ? entry : entry.Substring(eq + 1);
            var values = new List<int>();
            foreach (string part in dims.Split(','))
            {
                if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d < 1)
                {
                    error = $"'{entry}': expected NAME=d0,d1,… (or d0,d1,… for the only input) with positive whole sizes";
                    return null;
                }

                values.Add(d);
            }

            if (shapes.ContainsKey(name))
            {
                error = $"'{entry}': input '{(name.Length == 0 ? "(the only input)" : name)}' is given twice";
                return null;
            }

            shapes.Add(name, [.. values]);
        }

        return shapes;
    }

    /// <summary>Canonical text (sorted by name), as the options stamp and reports show it.</summary>
    public static string Format(IReadOnlyDictionary<string, int[]>? shapes) =>
        shapes is null ? "" : string.Join(";", shapes.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key.Length == 0 ? "" : kv.Key + "=") + string.Join(",", kv.Value.Select(d => d.ToString(CultureInfo.InvariantCulture)))));
}
