using System.Globalization;
using System.Runtime.InteropServices;

namespace Emc.IO;

/// <summary>What a path names, after following symbolic links.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

/// <summary>
/// Reading untrusted input files without hanging or exhausting memory: only regular files are opened (a FIFO blocks
/// in open(2), a character device such as /dev/zero never ends), every read is capped by the size stat(2) reported
/// and by a caller limit checked BEFORE anything is allocated, and folder walks never follow symbolic links to
/// folders (so <c>sub/loop -&gt; ..</c> cannot repeat or explode the listing).
/// </summary>
public static class SafeFile
{
    /// <summary>Largest single input file any reader accepts unless it passes its own limit (2 GiB - 1).</summary>
    public const long DefaultMaxBytes = int.MaxValue;

    /// <summary>The kind of file <paramref name="path"/> names (symbolic links followed).</summary>
    public static FileKind KindOf(string path)
    {
        if (NativeStat.TryMode(path, out int mode) is { } found)
        {
            return !found ? FileKind.Missing : (mode & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                0x1000 => FileKind.Fifo,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0xC000 => FileKind.Socket,
                _ => FileKind.Other,
            };
        }

        // No native stat (not a Unix runtime): Windows has no FIFOs or device files a path can name by accident.
        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>"a FIFO (named pipe)", "a character device", … for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    /// <summary>Null when <paramref name="path"/> is a regular file; otherwise why it cannot be read.</summary>
    public static string? CheckRegular(string path)
    {
        var kind = KindOf(path);
        return kind switch
        {
            FileKind.Regular => null,
            FileKind.Missing => "does not exist",
            _ => $"is {Describe(kind)}, not a regular file; only regular files are read",
        };
    }

    /// <summary>
    /// The whole content of a regular file of at most <paramref name="maxBytes"/> bytes, or null with
    /// <paramref name="error"/> (not regular, too large, changed size while read, I/O error). Never allocates more
    /// than the smaller of the file's size and the limit.
    /// </summary>
    public static byte[]? TryReadAll(string path, long maxBytes, out string? error)
    {
        error = CheckRegular(path);
        if (error is not null)
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            long size = stream.Length;
            if (size > maxBytes || size > Array.MaxLength)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"is {size} bytes; at most {Math.Min(maxBytes, Array.MaxLength)} bytes are read");
                return null;
            }

            var bytes = new byte[size];
            int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read != bytes.Length)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"shrank while it was read ({read} of {size} bytes)");
                return null;
            }

            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = "cannot be read: " + e.Message;
            return null;
        }
    }

    /// <summary>
    /// Opens a regular file for reading (FIFOs and devices are refused before open(2), which would block or never
    /// end); null with <paramref name="error"/> otherwise.
    /// </summary>
    public static FileStream? TryOpenRead(string path, out string? error)
    {
        error = CheckRegular(path);
        if (error is not null)
        {
            return null;
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = "cannot be read: " + e.Message;
            return null;
        }
    }

    /// <summary>
    /// Regular files (symbolic links to regular files included) under <paramref name="directory"/>, recursively,
    /// each listed once. Symbolic links to folders are not followed, so link loops cannot repeat entries or explode
    /// the walk; FIFOs, devices and sockets are skipped. Unreadable folders are skipped.
    /// </summary>
    public static List<string> EnumerateRegularFiles(string directory, Func<string, bool>? include = null)
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(directory);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(current).EnumerateFileSystemInfos("*", options).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                bool link = entry.LinkTarget is not null;
                if (entry is DirectoryInfo)
                {
                    if (!link)
                    {
                        pending.Push(entry.FullName);
                    }

                    continue;
                }

                if ((include is null || include(entry.FullName)) && KindOf(entry.FullName) == FileKind.Regular)
                {
                    files.Add(entry.FullName);
                }
            }
        }

        return files;
    }

    /// <summary>
    /// The file an output path really writes: symbolic links are followed to their final target (so writing
    /// <c>link.kmodel</c> updates the file it points to instead of replacing the link). Null with
    /// <paramref name="error"/> when the existing target is not a regular file (a FIFO, device or folder must not be
    /// replaced by a regular file) or the link chain does not resolve.
    /// </summary>
    public static string? ResolveWriteTarget(string path, out string? error)
    {
        error = null;
        string full = Path.GetFullPath(path);
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null)
                {
                    error = $"'{path}' is a symbolic link that cannot be resolved";
                    return null;
                }

                full = target.FullName;
            }
        }
        catch (IOException e)
        {
            error = $"'{path}' is a symbolic link that cannot be resolved: {e.Message}";
            return null;
        }

        var kind = KindOf(full);
        if (kind is not (FileKind.Missing or FileKind.Regular))
        {
            error = $"'{path}' is {Describe(kind)}; outputs are written only to regular files";
            return null;
        }

        return full;
    }

    /// <summary>
    /// Replaces the content of <paramref name="path"/> atomically (temporary file beside the real target, then
    /// rename): through symbolic links to their target, never replacing a FIFO, device or folder. Throws
    /// <see cref="IOException"/> with a one-line reason otherwise.
    /// </summary>
    /// <returns>The path actually written (the link target for a link).</returns>
    public static string WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        string target = ResolveWriteTarget(path, out string? error) ?? throw new IOException(error);
        // The folder must exist: a typo in an output folder is an error, not a new folder.
        string directory = Path.GetDirectoryName(target)!;
        string temp = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return target;
    }

    private static class NativeStat
    {
        private static bool s_unavailable = !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD());

        /// <summary>True/false = exists or not (mode set); null when native stat is unavailable.</summary>
        public static bool? TryMode(string path, out int mode)
        {
            mode = 0;
            if (s_unavailable)
            {
                return null;
            }

            try
            {
                if (Stat(path, out var status) != 0)
                {
                    return false;
                }

                mode = status.Mode;
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_unavailable = true;
                return null;
            }
        }

        // The runtime's own stat shim (System.Native, shipped with every .NET on Unix): its FileStatus starts with
        // int Flags, int Mode (S_IFMT bits normalized to the POSIX values); the buffer is oversized for the rest.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out StatBuffer output);

        [StructLayout(LayoutKind.Sequential, Size = 512)]
        private struct StatBuffer
        {
            public int Flags;
            public int Mode;
        }
    }
}
