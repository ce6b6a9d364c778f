using System.Buffers.Binary;
using Emc.Diagnostics;

namespace Emc.Kmodel.Tests;

/// <summary>Specific corruptions of real files and the specific diagnostic each must give.</summary>
[TestClass]
public sealed class ValidationTests
{
    [TestMethod]
    public void HugeLayerCountIsCheckedAgainstTheFileLength()
    {
        var d = ReadPatched(KmodelCorpus.Iris, 12, 0x4000_0000);
        Assert.AreEqual("EMC0301", d.Single().Code);
        StringAssert.Contains(d.Single().Message, "layers_length 1073741824");
    }

    [TestMethod]
    public void ArchMustBeZero() => AssertHasError(ReadPatched(KmodelCorpus.Iris, 8, 1), "EMC0302");

    [TestMethod]
    public void UnknownTypeCodeNamesTheLayer()
    {
        // iris: header 28 + 1 output → layer table at 36; layer 1 type at 44.
        var d = ReadPatched(KmodelCorpus.Iris, 44, 77);
        var error = d.Single(x => x.Code == "EMC0306");
        Assert.AreEqual("layer 1", error.NodeName);
        StringAssert.Contains(error.Message, "type code 77");
    }

    [TestMethod]
    public void TypeWithoutLayoutIsKeptRawWithAWarning()
    {
        var d = ReadPatched(KmodelCorpus.Iris, 44, (uint)KmodelLayerType.QuantizedFullyConnected);
        Assert.IsTrue(d.Any(x => x.Code == "EMC0307" && x.Severity == DiagnosticSeverity.Warning && x.NodeName == "layer 1"));
    }

    [TestMethod]
    public void BodySizeMustBeAMultipleOfFour() => AssertHasError(ReadPatched(KmodelCorpus.Iris, 40, 226), "EMC0305");

    [TestMethod]
    public void FullyConnectedCountsBeyondTheBodyAreRejectedBeforeAllocating()
    {
        // iris layer 0 body at 52: out_channels (field 4) = 2^30.
        AssertHasError(ReadPatched(KmodelCorpus.Iris, 52 + 16, 1 << 30), "EMC0308");
    }

    [TestMethod]
    public void MainMemoryRangeBeyondMainMemUsage()
    {
        // iris main_mem_usage 56: layer 0 writes 10 floats at 16 → [16, 56). Move it to 24.
        var error = ReadPatched(KmodelCorpus.Iris, 52 + 8, 24).Single(x => x.IsError);
        Assert.AreEqual("EMC0311", error.Code);
        StringAssert.Contains(error.Message, "out [24, 64)");
        Assert.AreEqual("FULLY_CONNECTED", error.OpType);
    }

    [TestMethod]
    public void OutputTableEntryBeyondMainMemUsage() => AssertHasError(ReadPatched(KmodelCorpus.Iris, 32, 60), "EMC0315");

    [TestMethod]
    public void ConvOffsetsMustStayInsideTheirBody()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.Cifar);
        int start = (int)model.BodyOffset(0);
        var error = ReadPatched(KmodelCorpus.Cifar, start + 12, (uint)model.BodyOffset(1)).Single(x => x.IsError);
        Assert.AreEqual("EMC0309", error.Code);
        StringAssert.Contains(error.Message, "weights_offset");
    }

    [TestMethod]
    public void KpuRangeBeyond32768Units()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.Cifar);
        var conv = (K210ConvBody)model.Layers[0].Body;
        var r = conv.Registers;
        r.ImageDstAddr = 32760; // 32×32×32 output needs 256 units
        var patched = model with { Layers = [new KmodelLayer(conv with { Registers = r }, model.Layers[0].BodySize), .. model.Layers.Skip(1)] };
        var d = KmodelReader.Read(KmodelWriter.Write(patched)).Diagnostics;
        Assert.IsTrue(d.Any(x => x.Code == "EMC0312" && x.Message.Contains("image_dst_addr", StringComparison.Ordinal)), string.Join("\n", d));
    }

    [TestMethod]
    public void ReservedRegisterBitsWarnAndLoadMismatchErrs()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.Cifar);
        var conv = (K210ConvBody)model.Layers[0].Body;
        var r = conv.Registers;
        r[0] |= 1UL << 40;
        r.ParaSize += 1;
        var patched = model with { Layers = [new KmodelLayer(conv with { Registers = r }, model.Layers[0].BodySize), .. model.Layers.Skip(1)] };
        var d = KmodelReader.Read(KmodelWriter.Write(patched)).Diagnostics;
        Assert.IsTrue(d.Any(x => x.Code == "EMC0314" && x.Severity == DiagnosticSeverity.Warning));
        Assert.IsTrue(d.Any(x => x.Code == "EMC0310" && x.Message.Contains("para_size", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void TruncationBeyondSevenBytesIsAnError()
    {
        byte[] bytes = KmodelCorpus.Bytes(KmodelCorpus.Cifar);
        AssertHasError(KmodelReader.Read(bytes.AsMemory(0, bytes.Length - 8)).Diagnostics, "EMC0304");
        // A Maix-EMC file short by 4 bytes: the last FC body loses real bias bytes, not padding.
        AssertHasError(KmodelReader.Read(bytes.AsMemory(0, bytes.Length - 4)).Diagnostics, "EMC0304");
    }

    [TestMethod]
    public void TrailingBytesWarn()
    {
        byte[] bytes = [.. KmodelCorpus.Bytes(KmodelCorpus.Cifar), 0, 0, 0, 0];
        var result = KmodelReader.Read(bytes);
        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual("EMC0317", result.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Warning).Code);
    }

    private static IReadOnlyList<Diagnostic> ReadPatched(string relative, int offset, uint value)
    {
        byte[] bytes = KmodelCorpus.Bytes(relative);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
        return KmodelReader.Read(bytes, relative).Diagnostics;
    }

    private static void AssertHasError(IReadOnlyList<Diagnostic> diagnostics, string code) =>
        Assert.IsTrue(diagnostics.Any(d => d.IsError && d.Code == code), $"expected {code}, got:\n{string.Join("\n", diagnostics)}");
}
