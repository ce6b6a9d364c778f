namespace Emc.Onnx;

/// <summary>Path checks that see through symbolic links, for keeping external data inside a model's folder.</summary>
internal static class PathContainment
{
    private const int MaxLinkHops = 40;

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both absolute, normalised).</summary>
    public static bool IsInside(string root, string path)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.Equals(root, comparison) || path.StartsWith(prefix, comparison);
    }

    /// <summary>The absolute path with every symbolic link along it resolved (like POSIX realpath).</summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int hops)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? "/";
        string[] parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target && hops < MaxLinkHops)
            {
                // Restart on the link's target followed by the rest, so links inside the target resolve too.
                string resolved = Path.GetFullPath(Path.Combine(current, target));
                string rest = string.Join(Path.DirectorySeparatorChar, parts, i + 1, parts.Length - i - 1);
                return RealPath(rest.Length == 0 ? resolved : Path.Combine(resolved, rest), hops + 1);
            }

            current = next;
        }

        return current;
    }
}
