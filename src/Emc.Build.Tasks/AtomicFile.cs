namespace Emc.Build.Tasks;

/// <summary>
/// Writes generated files so readers never see a torn file and unchanged content keeps its timestamp (so nothing
/// downstream rebuilds): compare, write a temporary file in the same folder, then rename over the target.
/// </summary>
internal static class AtomicFile
{
    /// <returns>True when the file was (re)written.</returns>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        if (SameContent(path, content))
        {
            return false;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return true;
    }

    /// <summary>Updates the timestamp of a marker file, creating it when missing.</summary>
    public static void Touch(string path)
    {
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, []);
        }

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
    }

    public static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static bool SameContent(string path, ReadOnlySpan<byte> content)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != content.Length)
        {
            return false;
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
    }
}
