namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class NegativeFileTests
{
    [TestMethod]
    [DataRow("aug_kmodel_v1_legacy.kmodel", "legacy kmodel v1")]
    [DataRow("facedetect_be_byteswapped_v3.kmodel", "byte-swapped (big-endian) kmodel v3")]
    [DataRow("iris_kmodel_v4_nncase-v0.2.0-alpha1.kmodel", "kmodel v4 ('KMDL') from nncase 0.2")]
    [DataRow("mnist_kmodel_v5_nncase-v1.9.0_cpu.kmodel", "kmodel v5 ('KMDL') from nncase 1.x")]
    public void NonV3FileGivesOneClearError(string name, string looksLike)
    {
        string path = Emc.Tests.TestData.Path("kmodel-v3", "negative-not-v3", name);
        var result = KmodelReader.Read(File.ReadAllBytes(path), path);
        Assert.IsFalse(result.Succeeded);
        var error = result.Diagnostics.Single();
        Assert.AreEqual("EMC0300", error.Code);
        StringAssert.StartsWith(error.Message, "not kmodel v3");
        StringAssert.Contains(error.Message, looksLike);
        Assert.AreEqual(path, error.File);
    }

    /// <summary>Every negative file the test data's index lists (not only the four above) is refused the same way.</summary>
    [TestMethod]
    public void EveryNegativeFileOfTheIndexGivesOneNotV3Error()
    {
        var files = KmodelCorpus.NegativeFiles().Select(f => f.File).ToList();
        Assert.IsNotEmpty(files, "index.json lists no negative files");
        foreach (string relative in files)
        {
            var result = KmodelReader.Read(KmodelCorpus.Bytes(relative), relative);
            Assert.IsFalse(result.Succeeded, relative);
            Assert.AreEqual("EMC0300", result.Diagnostics.Single().Code, relative);
        }
    }

    [TestMethod]
    public void EmptyAndTinyInputsAreRejectedWithoutThrowing()
    {
        Assert.AreEqual("EMC0300", KmodelReader.Read(Array.Empty<byte>()).Diagnostics.Single().Code);
        Assert.AreEqual("EMC0301", KmodelReader.Read(new byte[] { 3, 0, 0, 0, 1 }).Diagnostics.Single().Code);
    }
}
