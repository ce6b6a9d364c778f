using System.Text;
using Emc.Build.Tasks.Files;

namespace Emc.Build.Tasks;

/// <summary>The output manifest (<c>emc.outputs</c>): one generated file per line, read by clean and pruning.</summary>
internal static class ManifestFile
{
    /// <summary>Adds paths the manifest does not list yet (rewritten only when something is added).</summary>
    public static void Include(string manifest, IReadOnlyCollection<string> paths)
    {
        if (manifest.Length == 0 || paths.Count == 0)
        {
            return;
        }

        var lines = File.Exists(manifest) ? File.ReadAllLines(manifest).Where(l => l.Length > 0).ToList() : [];
        var known = new HashSet<string>(lines, StringComparer.Ordinal);
        var added = paths.Where(known.Add).ToList();
        if (added.Count > 0)
        {
            OutputFiles.WriteIfChanged(manifest, Encoding.UTF8.GetBytes(string.Join("\n", lines.Concat(added)) + "\n"));
        }
    }
}
