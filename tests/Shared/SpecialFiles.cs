using System.Diagnostics;

namespace Emc.Tests.Shared;

/// <summary>Creates the special files the reliability tests feed to readers (FIFOs, links, sparse files).</summary>
internal static class SpecialFiles
{
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>A scratch folder, deleted by <see cref="IDisposable.Dispose"/>.</summary>
    public static TempFolder NewFolder() => new();

    public static void MakeFifo(string path)
    {
        var start = new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("mkfifo failed for " + path);
        }
    }

    /// <summary>A file whose size is <paramref name="length"/> but which occupies no disk space.</summary>
    public static void MakeSparse(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(length);
    }

    public static void Link(string path, string target) => File.CreateSymbolicLink(path, target);

    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "emc-rel-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string this[string relative] => System.IO.Path.Combine(Path, relative);

        public void Dispose()
        {
            try
            {
                // Links are deleted, not followed.
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
