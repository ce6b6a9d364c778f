using Emc.IO;
using Emc.Tests.Shared;

namespace Emc.Core.Tests;

[TestClass]
public sealed class SafeFileTests
{
    [TestMethod]
    [Timeout(20000)]
    public void FifoIsRefusedWithoutOpening()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeFifo(dir["a.png"]);

        Assert.AreEqual(FileKind.Fifo, SafeFile.KindOf(dir["a.png"]));
        Assert.IsNull(SafeFile.TryReadAll(dir["a.png"], 1000, out string? error));
        StringAssert.Contains(error, "FIFO");
        Assert.IsNull(SafeFile.TryOpenRead(dir["a.png"], out _));
    }

    [TestMethod]
    [Timeout(20000)]
    public void CharacterDeviceIsRefused()
    {
        if (!File.Exists("/dev/zero"))
        {
            Assert.Inconclusive("needs /dev/zero");
        }

        Assert.AreEqual(FileKind.CharacterDevice, SafeFile.KindOf("/dev/zero"));
        Assert.IsNull(SafeFile.TryReadAll("/dev/zero", long.MaxValue, out string? error));
        StringAssert.Contains(error, "character device");
    }

    [TestMethod]
    public void SizeIsCheckedBeforeAllocating()
    {
        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeSparse(dir["big.bin"], 8L << 30);
        long before = GC.GetAllocatedBytesForCurrentThread();

        Assert.IsNull(SafeFile.TryReadAll(dir["big.bin"], 1 << 20, out string? error));

        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        StringAssert.Contains(error, "8589934592 bytes");
    }

    [TestMethod]
    public void RegularFileAndLinkToItAreRead()
    {
        using var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["a.bin"], [1, 2, 3]);
        SpecialFiles.Link(dir["b.bin"], dir["a.bin"]);

        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, SafeFile.TryReadAll(dir["b.bin"], 3, out _));
        Assert.IsNull(SafeFile.TryReadAll(dir["a.bin"], 2, out _));
        Assert.AreEqual(FileKind.Missing, SafeFile.KindOf(dir["none"]));
    }

    [TestMethod]
    [Timeout(20000)]
    public void FolderWalkDoesNotFollowFolderLinks()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["one.png"], [1]);
        Directory.CreateDirectory(dir["sub"]);
        SpecialFiles.Link(dir["sub/a"], "..");
        SpecialFiles.Link(dir["sub/b"], "..");
        SpecialFiles.Link(dir["sub/loop"], "..");
        SpecialFiles.MakeFifo(dir["sub/fifo.png"]);
        File.WriteAllBytes(dir["sub/two.png"], [2]);

        var files = SafeFile.EnumerateRegularFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        CollectionAssert.AreEqual(new[] { "one.png", "two.png" }, files);
    }

    [TestMethod]
    public void WriteTargetFollowsLinksAndRefusesSpecialFiles()
    {
        using var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["real.kmodel"], [1]);
        SpecialFiles.Link(dir["link.kmodel"], "real.kmodel");

        Assert.AreEqual(dir["real.kmodel"], SafeFile.ResolveWriteTarget(dir["link.kmodel"], out _));
        Assert.AreEqual(dir["new.kmodel"], SafeFile.ResolveWriteTarget(dir["new.kmodel"], out _));
        if (File.Exists("/dev/null"))
        {
            Assert.IsNull(SafeFile.ResolveWriteTarget("/dev/null", out string? error));
            StringAssert.Contains(error, "character device");
        }
    }
}

[TestClass]
public sealed class DiagnosticTextTests
{
    [TestMethod]
    public void NamesCannotForgeALineOrEscapeSequence()
    {
        var d = new Emc.Diagnostics.Diagnostic("EMC0101", Emc.Diagnostics.DiagnosticSeverity.Error,
            "node 'a\n/m.onnx: error EMC0001: forged' uses \u001b[31mred\u001b[0m and \u202eevil", "/m\r.onnx");

        string text = d.ToString();

        Assert.AreEqual(1, text.Split('\n').Length);
        Assert.IsFalse(text.Any(char.IsControl), text);
        StringAssert.Contains(text, "a\\n/m.onnx: error EMC0001: forged");
        StringAssert.Contains(text, "\\u001b[31m");
        StringAssert.Contains(text, "\\u202eevil");
        StringAssert.StartsWith(text, "/m\\r.onnx: error EMC0101:");
        Assert.AreEqual("plain ünïcode", Emc.Diagnostics.DiagnosticText.Escape("plain ünïcode"));
    }
}
