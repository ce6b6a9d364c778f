using System.Globalization;

namespace Emc.Build.Tasks.Files;

/// <summary>
/// Reading untrusted input files in the task (.kfpkg contents, dataset listings) without hanging: only regular files
/// are opened (a FIFO blocks in open(2), a device never ends), reads are capped before anything is allocated, and
/// folder walks never follow links to folders (so <c>sub/loop -&gt; ..</c> cannot repeat or explode the listing).
/// The same rules as the compiler's <c>Emc.IO.SafeFile</c>, with netstandard2.0 APIs.
/// </summary>
internal static class InputFiles
{
    /// <summary>The content of a regular file of at most <paramref name="maxBytes"/> bytes, or null with <paramref name="error"/>.</summary>
    public static byte[]? TryReadAll(string path, long maxBytes, out string? error)
    {
        var kind = FileProbe.KindOf(path);
        if (kind != FileKind.Regular)
        {
            error = kind == FileKind.Missing ? "does not exist" : $"is {FileProbe.Describe(kind)}, not a regular file; only regular files are read";
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            long size = stream.Length;
            long limit = Math.Min(maxBytes, int.MaxValue);
            if (size > limit)
            {
                error = string.Format(CultureInfo.InvariantCulture, "is {0} bytes; at most {1} bytes are read", size, limit);
                return null;
            }

            var bytes = new byte[size];
            int read = 0;
            while (read < bytes.Length && stream.Read(bytes, read, bytes.Length - read) is int n and > 0)
            {
                read += n;
            }

            if (read != bytes.Length)
            {
                error = string.Format(CultureInfo.InvariantCulture, "shrank while it was read ({0} of {1} bytes)", read, size);
                return null;
            }

            error = null;
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = "cannot be read: " + e.Message;
            return null;
        }
    }

    /// <summary>
    /// Regular files (links to regular files included) under <paramref name="directory"/>, recursively, each once.
    /// Links to folders are not followed; FIFOs, devices and sockets are skipped; unreadable folders are skipped.
    /// </summary>
    public static List<string> EnumerateRegularFiles(string directory, Func<string, bool> include)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            List<FileSystemInfo> entries;
            try
            {
                entries = [.. new DirectoryInfo(current).EnumerateFileSystemInfos()];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo)
                {
                    if (!FileProbe.IsReparsePoint(entry))
                    {
                        pending.Push(entry.FullName);
                    }
                }
                else if (include(entry.FullName) && FileProbe.KindOf(entry.FullName) == FileKind.Regular)
                {
                    files.Add(entry.FullName);
                }
            }
        }

        return files;
    }
}
