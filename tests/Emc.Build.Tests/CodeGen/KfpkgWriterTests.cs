extern alias tasks;

using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using tasks::Emc.Build.Tasks;
using tasks::Emc.Build.Tasks.Kfpkg;
using Emc.Tests;

namespace Emc.Build.Tests.CodeGen;

[TestClass]
public sealed class KfpkgWriterTests
{
    /// <summary>Rebundling the kmodel of a real kfpkg at its address gives the same structure, as strict JSON.</summary>
    [TestMethod]
    public void MatchesTheStructureOfARealBundleWithStrictJson()
    {
        using var real = ZipFile.OpenRead(TestData.Path("maix-emc-mbnetv1", "mbnetv1.kfpkg"));
        string realList = new StreamReader(real.GetEntry("flash-list.json")!.Open()).ReadToEnd();
        string kmodelName = real.Entries.Single(e => e.Name != "flash-list.json").Name;
        using var kmodelStream = new MemoryStream();
        real.GetEntry(kmodelName)!.Open().CopyTo(kmodelStream);
        uint address = Convert.ToUInt32(Regex.Match(realList, "\"address\": (0x[0-9a-fA-F]+|[0-9]+)").Groups[1].Value, 16);

        byte[] bundle = KfpkgWriter.Write([new KfpkgEntry(kmodelName, address, kmodelStream.ToArray(), false)], new TaskProblems())!;
        using var ours = new ZipArchive(new MemoryStream(bundle));
        CollectionAssert.AreEqual(real.Entries.Select(e => e.FullName).ToList(), ours.Entries.Select(e => e.FullName).ToList(), "entry order");
        using var json = JsonDocument.Parse(new StreamReader(ours.GetEntry("flash-list.json")!.Open()).ReadToEnd());
        Assert.AreEqual("0.1.0", json.RootElement.GetProperty("version").GetString());
        var file = json.RootElement.GetProperty("files")[0];
        Assert.AreEqual(address, file.GetProperty("address").GetUInt32());
        Assert.AreEqual(kmodelName, file.GetProperty("bin").GetString());
        Assert.IsFalse(file.GetProperty("sha256Prefix").GetBoolean());
        Assert.AreEqual("address", file.EnumerateObject().First().Name, "kflash.py needs address before the last key");
        using var content = new MemoryStream();
        ours.GetEntry(kmodelName)!.Open().CopyTo(content);
        CollectionAssert.AreEqual(kmodelStream.ToArray(), content.ToArray());
    }

    [TestMethod]
    public void OutputIsDeterministicAndOrderedByAddressWithFirmwareFirst()
    {
        KfpkgEntry[] entries =
        [
            new("b.kmodel", 0x600000, [1, 2, 3], false),
            new("app.bin", 0, [9, 9], true),
            new("a.kmodel", 0x300000, [4], false),
        ];
        byte[] first = KfpkgWriter.Write(entries, new TaskProblems())!;
        byte[] second = KfpkgWriter.Write(entries.Reverse().ToArray(), new TaskProblems())!;
        CollectionAssert.AreEqual(first, second);
        using var zip = new ZipArchive(new MemoryStream(first));
        CollectionAssert.AreEqual(new[] { "app.bin", "a.kmodel", "b.kmodel", "flash-list.json" }, zip.Entries.Select(e => e.Name).ToList());
        string list = new StreamReader(zip.GetEntry("flash-list.json")!.Open()).ReadToEnd();
        StringAssert.Contains(list, "\"address\": 3145728,");
        StringAssert.Contains(list, "\"sha256Prefix\": true");
    }

    [TestMethod]
    public void OverlapsMisalignmentAndBadNamesAreDiagnostics()
    {
        var overlap = new TaskProblems();
        Assert.IsNull(KfpkgWriter.Write([new("a", 0x300000, new byte[70000], false), new("b", 0x310000, [1], false)], overlap));
        Assert.AreEqual("EMC0811", overlap.Items.Single().Code);
        var bad = new TaskProblems();
        Assert.IsNull(KfpkgWriter.Write([new("x/y", 0x300001, [1], false), new("fw.bin", 4096, [1], true)], bad));
        Assert.IsTrue(bad.Items.All(d => d.Code == "EMC0810"));
        Assert.HasCount(3, bad.Items);
    }
}
