using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Emc.Build.Tasks.Files;

/// <summary>What a path names, after following symbolic links.</summary>
internal enum FileKind
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
/// What a path is, with only netstandard2.0 APIs so the task loads in every MSBuild. The task runs on the real
/// runtime of the MSBuild that loaded it: on .NET under Unix, stat(2) through the runtime's own native shim tells
/// FIFOs and devices from regular files and <c>FileSystemInfo.ResolveLinkTarget</c> (.NET 6+, found by reflection)
/// follows symbolic links; on .NET Framework (Windows) there are no FIFOs or device files a path names by accident, and
/// links are not resolved (<see cref="ResolveLink"/>).
/// </summary>
internal static class FileProbe
{
    // .NET 6+ members, absent from the netstandard2.0 reference and from .NET Framework.
    private static readonly PropertyInfo? s_linkTarget = typeof(FileSystemInfo).GetProperty("LinkTarget", BindingFlags.Public | BindingFlags.Instance);

    private static readonly MethodInfo? s_resolveLinkTarget =
        typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", BindingFlags.Public | BindingFlags.Instance, null, [typeof(bool)], null);

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

    /// <summary>
    /// True when the entry itself is a symbolic link (or another reparse point, e.g. a junction): .NET reports links
    /// as <see cref="FileAttributes.ReparsePoint"/> on every OS, dangling ones included.
    /// </summary>
    public static bool IsReparsePoint(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary><see cref="IsReparsePoint(string)"/> for an entry of a folder listing (its attributes are already read).</summary>
    public static bool IsReparsePoint(FileSystemInfo entry) =>
        (int)entry.Attributes != -1 && (entry.Attributes & FileAttributes.ReparsePoint) != 0;

    /// <summary>
    /// The final target of the symbolic link <paramref name="path"/>: the path itself when it is no link (or a
    /// reparse point that is no link, or links cannot be resolved on this runtime: .NET Framework, where the output
    /// then replaces the link); null when the link chain does not resolve.
    /// </summary>
    public static string? ResolveLink(string path)
    {
        if (s_linkTarget is null || s_resolveLinkTarget is null || !IsReparsePoint(path))
        {
            return path;
        }

        var info = new FileInfo(path);
        try
        {
            if (s_linkTarget.GetValue(info) is null)
            {
                // A reparse point that is no link (e.g. a cloud-file placeholder on Windows): an ordinary file.
                return path;
            }

            return (s_resolveLinkTarget.Invoke(info, [true]) as FileSystemInfo)?.FullName;
        }
        catch (TargetInvocationException e) when (e.InnerException is IOException)
        {
            return null;
        }
    }

    private static class NativeStat
    {
        private static bool s_unavailable = !(RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
            || RuntimeInformation.IsOSPlatform(OSPlatform.Create("FREEBSD")));

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
                byte[] name = Encoding.UTF8.GetBytes(path + "\0");
                if (Stat(name, out var status) != 0)
                {
                    return false;
                }

                mode = status.Mode;
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Mono or another runtime without the .NET shim: no FIFO detection, as on Windows.
                s_unavailable = true;
                return null;
            }
        }

        // The .NET runtime's own stat shim (System.Native, shipped with every .NET on Unix): its FileStatus starts with
        // int Flags, int Mode (S_IFMT bits normalized to the POSIX values); the buffer is oversized for the rest.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat(byte[] utf8Path, out StatBuffer output);

        [StructLayout(LayoutKind.Sequential, Size = 512)]
        private struct StatBuffer
        {
            public int Flags;
            public int Mode;
        }
    }
}
