namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class RoundTripTests
{
    [TestMethod]
    public void ReadThenWriteGivesIdenticalBytesForEveryV3File()
    {
        foreach (var (relative, facts) in KmodelCorpus.V3Files())
        {
            byte[] original = KmodelCorpus.Bytes(relative);
            byte[] written = KmodelWriter.Write(KmodelCorpus.Read(relative));
            int trailing = facts.GetProperty("trailing").GetInt32();
            if (trailing == 0)
            {
                Assert.IsTrue(original.AsSpan().SequenceEqual(written), $"{relative}: written bytes differ");
            }
            else
            {
                // nncase rc5: the last body's padding is declared but absent; the writer emits it as zeros.
                Assert.AreEqual(original.Length - trailing, written.Length, relative);
                Assert.IsTrue(written.AsSpan(0, original.Length).SequenceEqual(original), $"{relative}: prefix differs");
                Assert.IsFalse(written.AsSpan(original.Length).ContainsAnyExcept((byte)0), $"{relative}: padding not zero");
            }
        }
    }

    [TestMethod]
    public void WrittenRc5FilesReadBackWithNoDiagnostics()
    {
        foreach (string relative in new[] { KmodelCorpus.Iris, KmodelCorpus.Rc5Yolo })
        {
            byte[] written = KmodelWriter.Write(KmodelCorpus.Read(relative));
            var again = KmodelReader.Read(written);
            Assert.IsTrue(again.Succeeded);
            Assert.AreEqual(0, again.Diagnostics.Count, string.Join("\n", again.Diagnostics));
        }
    }
}
