using System.Globalization;
using System.Text;

namespace Emc.Build.Tool;

/// <summary>
/// What a compile read: the size and last-write time of the model, its options stamp, every dataset file and the
/// external-data files the model names, taken BEFORE the compile starts and stored as the text of the model's
/// "compiled" marker. MSBuild's own check (inputs newer than the marker) misses a model saved while it was being compiled (the marker is stamped after) and a
/// replacement copied with an older time (<c>cp -p</c>); the task EmcResolveModels compares the recorded text
/// with the files as they are now and forgets the marker on any difference, so the next build recompiles.
/// Compiler-free (the task reads it); the external-data files of a model are found by the tool
/// (<see cref="ExternalDataFiles"/>).
/// </summary>
internal static class InputStamp
{
    public static IEnumerable<string> InputsOf(IModelItem model) =>
        new[] { model.ItemSpec, model.GetMetadata(ModelMetadata.OptionsFile) }
            .Concat(model.GetMetadata(ModelMetadata.DatasetFiles).Split([';'], StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length > 0);

    /// <summary>One line per input: size, last-write ticks (UTC), path; a missing file has size -1.</summary>
    public static string Take(IEnumerable<string> paths)
    {
        var text = new StringBuilder("emc-inputs 1\n");
        foreach (string path in paths)
        {
            long size = -1, ticks = 0;
            try
            {
                var info = new FileInfo(path);
                if (info.Exists)
                {
                    size = info.Length;
                    ticks = info.LastWriteTimeUtc.Ticks;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                size = -2;
            }

            text.Append(size.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ticks.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(path).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// True when the marker records the inputs exactly as they are now: every recorded file (model, options,
    /// dataset, external data) has its recorded size and time, and no current input is missing from the record.
    /// </summary>
    public static bool Matches(string markerPath, IModelItem model)
    {
        try
        {
            var info = new FileInfo(markerPath);
            if (!info.Exists || info.Length > 16 << 20)
            {
                return false;
            }

            string text = File.ReadAllText(markerPath);
            var recorded = text.Split(['\n'], StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(line => line.Split([' '], 3))
                .Where(parts => parts.Length == 3)
                .Select(parts => parts[2])
                .ToList();
            var set = new HashSet<string>(recorded, StringComparer.Ordinal);
            return text.StartsWith("emc-inputs 1\n", StringComparison.Ordinal)
                && InputsOf(model).All(set.Contains)
                && Take(recorded) == text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
