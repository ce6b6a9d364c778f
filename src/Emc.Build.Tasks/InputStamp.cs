using System.Globalization;
using System.Text;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>
/// What a compile read: the size and last-write time of the model, its options stamp and every dataset file, taken
/// BEFORE the compile starts and stored as the text of the model's "compiled" marker. MSBuild's own check (inputs
/// newer than the marker) misses a model saved while it was being compiled (the marker is stamped after) and a
/// replacement copied with an older time (<c>cp -p</c>); <see cref="EmcResolveModels"/> compares the recorded text
/// with the files as they are now and forgets the marker on any difference, so the next build recompiles.
/// </summary>
internal static class InputStamp
{
    public static IEnumerable<string> InputsOf(ITaskItem model) =>
        new[] { model.ItemSpec, model.GetMetadata(ModelMetadata.OptionsFile) }
            .Concat(model.GetMetadata(ModelMetadata.DatasetFiles).Split(';', StringSplitOptions.RemoveEmptyEntries))
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

            text.Append(CultureInfo.InvariantCulture, $"{size} {ticks} {path}\n");
        }

        return text.ToString();
    }

    /// <summary>True when the marker records exactly the inputs as they are now.</summary>
    public static bool Matches(string markerPath, ITaskItem model)
    {
        try
        {
            var info = new FileInfo(markerPath);
            if (!info.Exists || info.Length > 16 << 20)
            {
                return false;
            }

            return File.ReadAllText(markerPath) == Take(InputsOf(model));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
