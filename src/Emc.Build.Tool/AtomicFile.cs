namespace Emc.Build.Tool;

/// <summary>
/// Writes generated files so readers never see a torn file and unchanged content keeps its timestamp (so nothing
/// downstream rebuilds): compare, write a temporary file in the same folder, then rename over the target.
/// </summary>
internal static class AtomicFile
{
    /// <returns>True when the file was (re)written.</returns>
    /// <remarks>
    /// A symbolic link is written through (its target gets the content; the link stays); a FIFO, device or folder
    /// in the way is an <see cref="IOException"/> (EMC0805), never replaced by a regular file.
    /// </remarks>
    public static bool WriteIfChanged(string path, ReadOnlySpan<byte> content)
    {
        string target = Emc.IO.SafeFile.ResolveWriteTarget(path, out string? error) ?? throw new IOException(error);
        if (SameContent(target, content))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Emc.IO.SafeFile.WriteAtomically(target, content);
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

    /// <summary>Deletes a regular file or a symbolic link; a FIFO or device someone put there is left alone.</summary>
    public static void DeleteIfExists(string path)
    {
        if (File.Exists(path) && (new FileInfo(path).LinkTarget is not null || Emc.IO.SafeFile.KindOf(path) == Emc.IO.FileKind.Regular))
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
