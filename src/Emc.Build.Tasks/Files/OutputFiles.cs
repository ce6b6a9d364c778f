namespace Emc.Build.Tasks.Files;

/// <summary>
/// Writes the task's files (options stamps, the output manifest, the .kfpkg) so readers never see a torn file and
/// unchanged content keeps its timestamp: compare, write a temporary file beside the real target, then rename over
/// it. A symbolic link is written through (its target gets the content; the link stays); a FIFO, device or folder in
/// the way is an <see cref="IOException"/> (EMC0805), never replaced or opened.
/// </summary>
internal static class OutputFiles
{
    /// <returns>True when the file was (re)written.</returns>
    public static bool WriteIfChanged(string path, byte[] content)
    {
        string target = ResolveWriteTarget(path);
        if (SameContent(target, content))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content, 0, content.Length);
            }

            Replace(temp, target);
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

    /// <summary>Deletes a regular file or a symbolic link (not its target); a FIFO or device someone put there is left alone.</summary>
    public static void DeleteIfExists(string path)
    {
        if (FileProbe.IsReparsePoint(path) || (File.Exists(path) && FileProbe.KindOf(path) == FileKind.Regular))
        {
            File.Delete(path);
        }
    }

    /// <summary>The file <paramref name="path"/> really writes (links followed); throws when that is no regular file.</summary>
    internal static string ResolveWriteTarget(string path)
    {
        string full = Path.GetFullPath(path);
        string target = FileProbe.ResolveLink(full) ?? throw new IOException($"'{path}' is a symbolic link that cannot be resolved");
        var kind = FileProbe.KindOf(target);
        if (kind is not (FileKind.Missing or FileKind.Regular))
        {
            throw new IOException($"'{path}' is {FileProbe.Describe(kind)}; outputs are written only to regular files");
        }

        return target;
    }

    /// <summary>Renames <paramref name="temp"/> over <paramref name="target"/> (rename(2) on Unix, ReplaceFile on Windows).</summary>
    private static void Replace(string temp, string target)
    {
        if (File.Exists(target))
        {
            File.Replace(temp, target, null, ignoreMetadataErrors: true);
        }
        else
        {
            File.Move(temp, target);
        }
    }

    private static bool SameContent(string path, byte[] content)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != content.Length)
        {
            return false;
        }

        byte[] existing = File.ReadAllBytes(path);
        for (int i = 0; i < existing.Length; i++)
        {
            if (existing[i] != content[i])
            {
                return false;
            }
        }

        return true;
    }
}
