extern alias tasks;

using tasks::Emc.Build.Tasks.Files;
using Emc.Tests.Shared;

namespace Emc.Build.Tests.Tasks;

/// <summary>
/// The task's netstandard2.0 file handling (issue 12) against hostile files: the same answers as the compiler's
/// Emc.IO.SafeFile (tested in Emc.Core.Tests) for links, dangling links, FIFOs, devices and folders.
/// </summary>
[TestClass]
public sealed class TaskFilesTests
{
    [TestMethod]
    [Timeout(20000)]
    public void KindsAreThoseOfSafeFileForEveryHostileEntry()
    {
        using var dir = Hostile();
        foreach (string path in Directory.EnumerateFileSystemEntries(dir.Path).Append(dir["none"]).Append("/dev/null"))
        {
            Assert.AreEqual(Emc.IO.SafeFile.KindOf(path).ToString(), FileProbe.KindOf(path).ToString(), path);
        }
    }

    [TestMethod]
    [Timeout(20000)]
    public void WriteTargetsAreThoseOfSafeFile()
    {
        using var dir = Hostile();
        foreach (string path in Directory.EnumerateFileSystemEntries(dir.Path).Append(dir["none"]).Append("/dev/null"))
        {
            string? expected = Emc.IO.SafeFile.ResolveWriteTarget(path, out _);
            string? actual;
            try
            {
                actual = OutputFiles.ResolveWriteTarget(path);
            }
            catch (IOException)
            {
                actual = null;
            }

            Assert.AreEqual(expected, actual, path);
        }
    }

    [TestMethod]
    [Timeout(20000)]
    public void WritesGoThroughLinksAtomicallyAndNeverIntoSpecialFiles()
    {
        using var dir = Hostile();

        Assert.IsTrue(OutputFiles.WriteIfChanged(dir["link.txt"], [7, 8]));
        Assert.IsFalse(OutputFiles.WriteIfChanged(dir["link.txt"], [7, 8]), "unchanged bytes are not rewritten");

        Assert.IsTrue(new FileInfo(dir["link.txt"]).LinkTarget is not null, "the link stays a link");
        CollectionAssert.AreEqual(new byte[] { 7, 8 }, File.ReadAllBytes(dir["real.txt"]));
        Assert.IsTrue(OutputFiles.WriteIfChanged(dir["real.txt"], [9]));
        CollectionAssert.AreEqual(new byte[] { 9 }, File.ReadAllBytes(dir["real.txt"]));
        Assert.IsEmpty(Directory.EnumerateFiles(dir.Path, "*.tmp"), "no temporary file is left");
        foreach (string special in new[] { dir["fifo"], dir["folder"], dir["fifo-link"], "/dev/null" }.Where(p => Emc.IO.SafeFile.KindOf(p) != Emc.IO.FileKind.Missing))
        {
            var e = Assert.ThrowsExactly<IOException>(() => OutputFiles.WriteIfChanged(special, [1]), special);
            StringAssert.Contains(e.Message, "outputs are written only to regular files");
        }

        if (SpecialFiles.Supported)
        {
            Assert.AreEqual(Emc.IO.FileKind.Fifo, Emc.IO.SafeFile.KindOf(dir["fifo"]), "the FIFO is not replaced");
        }
    }

    [TestMethod]
    [Timeout(20000)]
    public void DeletingRemovesFilesAndLinksButNotTargetsFifosOrDevices()
    {
        using var dir = Hostile();

        foreach (string name in new[] { "link.txt", "dangling", "fifo", "plain.png" })
        {
            OutputFiles.DeleteIfExists(dir[name]);
        }

        OutputFiles.DeleteIfExists(dir["none"]);

        Assert.IsFalse(File.Exists(dir["link.txt"]) || new FileInfo(dir["link.txt"]).LinkTarget is not null);
        Assert.IsNull(new FileInfo(dir["dangling"]).LinkTarget, "a dangling link is deleted too");
        Assert.IsFalse(File.Exists(dir["plain.png"]));
        Assert.IsTrue(File.Exists(dir["real.txt"]), "the link's target stays");
        if (SpecialFiles.Supported)
        {
            Assert.AreEqual(Emc.IO.FileKind.Fifo, Emc.IO.SafeFile.KindOf(dir["fifo"]), "a FIFO in the way is left alone");
        }
    }

    [TestMethod]
    [Timeout(20000)]
    public void ReadingAndListingFollowSafeFile()
    {
        using var dir = Hostile();

        var expected = Emc.IO.SafeFile.EnumerateRegularFiles(dir.Path, _ => true).Order(StringComparer.Ordinal).ToList();
        var actual = InputFiles.EnumerateRegularFiles(dir.Path, _ => true).Order(StringComparer.Ordinal).ToList();

        CollectionAssert.AreEqual(expected, actual);
        CollectionAssert.Contains(actual, dir["folder/deep.png"]);
        CollectionAssert.DoesNotContain(actual, dir["fifo"]);
        foreach (string path in Directory.EnumerateFileSystemEntries(dir.Path).Append("/dev/zero"))
        {
            byte[]? safe = Emc.IO.SafeFile.TryReadAll(path, 1, out string? safeError);
            byte[]? ours = InputFiles.TryReadAll(path, 1, out string? error);
            Assert.AreEqual(safe is null, ours is null, path + ": " + safeError + " / " + error);
            Assert.AreEqual(safeError, error, path);
        }
    }

    /// <summary>A folder with a regular file, links to it, to a folder and to nothing, a folder loop, a FIFO and a link to it.</summary>
    private static SpecialFiles.TempFolder Hostile()
    {
        var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["real.txt"], [1, 2, 3]);
        File.WriteAllBytes(dir["plain.png"], [4]);
        Directory.CreateDirectory(dir["folder"]);
        File.WriteAllBytes(dir["folder/deep.png"], [5]);
        SpecialFiles.Link(dir["link.txt"], "real.txt");
        SpecialFiles.Link(dir["folder-link"], "folder");
        SpecialFiles.Link(dir["folder/loop"], "..");
        SpecialFiles.Link(dir["dangling"], "nowhere.txt");
        if (SpecialFiles.Supported)
        {
            SpecialFiles.MakeFifo(dir["fifo"]);
            SpecialFiles.Link(dir["fifo-link"], "fifo");
        }

        return dir;
    }
}
