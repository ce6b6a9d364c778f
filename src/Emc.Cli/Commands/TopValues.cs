using System.Globalization;
using Emc.Compiler.Ir;

namespace Emc.Cli.Commands;

/// <summary>An output's largest values with their flat indices ("3 (0.981), 7 (0.0102), …"): what a classifier says.</summary>
internal static class TopValues
{
    /// <summary>The top <paramref name="count"/> as "index (value)", largest first (ties: lower index first); null for an empty tensor.</summary>
    public static string? Describe(Tensor tensor, int count)
    {
        float[] values = tensor.ToFloatArray();
        if (values.Length == 0)
        {
            return null;
        }

        var top = Enumerable.Range(0, values.Length)
            .OrderByDescending(i => float.IsNaN(values[i]) ? float.NegativeInfinity : values[i])
            .ThenBy(i => i)
            .Take(count);
        return string.Join(", ", top.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i} ({values[i]:G4})")));
    }
}
