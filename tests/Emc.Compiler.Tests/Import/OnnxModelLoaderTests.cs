using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Import;

[TestClass]
public sealed class OnnxModelLoaderTests
{
    private string _dir = "";

    [TestInitialize]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "emc-loader-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "model"));
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>A model whose Add reads weight 'w' [2] stored externally.</summary>
    private string WriteExternalModel(string location, long? offset = null, long? length = null)
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 1, 2));
        g.Output.Add(TinyModels.Float("y", 1, 2));
        var w = new TensorProto { Name = "w", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
        w.Dims.Add(2);
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset is not null) w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString() });
        if (length is not null) w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString() });
        g.Initializer.Add(w);
        g.Node.Add(TinyModels.Node("Identity", "id", ["w"], ["y"]));
        string path = Path.Combine(_dir, "model", "model.onnx");
        File.WriteAllBytes(path, TinyModels.Model(g).ToByteArray());
        return path;
    }

    private static byte[] Floats(params float[] v) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    [TestMethod]
    public void ExternalDataLoadsFromBesideTheModelWithOffset()
    {
        File.WriteAllBytes(Path.Combine(_dir, "model", "weights.bin"), [9, 9, 9, 9, .. Floats(1.5f, -2f)]);
        var result = OnnxModelLoader.Load(WriteExternalModel("weights.bin", offset: 4, length: 8));
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        var tensor = TensorProtoConverter.FromProto(result.Value!.Graph.Initializer[0], null, new Emc.Diagnostics.DiagnosticBag());
        CollectionAssert.AreEqual(new[] { 1.5f, -2f }, ((Tensor<float>)tensor!).Data);
    }

    [TestMethod]
    [DataRow("../secret.bin")]
    [DataRow("sub/../../secret.bin")]
    [DataRow("/etc/passwd")]
    public void ExternalDataOutsideTheFolderIsRejected(string location)
    {
        File.WriteAllBytes(Path.Combine(_dir, "secret.bin"), Floats(1, 2));
        var result = OnnxModelLoader.Load(WriteExternalModel(location));
        Assert.IsFalse(result.Succeeded);
        Assert.IsTrue(result.Diagnostics.Any(d => d.Code == OnnxDiagnostics.ExternalDataOutsideModel.Code), string.Join("\n", result.Diagnostics));
    }

    [TestMethod]
    public void ExternalDataThroughASymlinkEscapingTheFolderIsRejected()
    {
        File.WriteAllBytes(Path.Combine(_dir, "secret.bin"), Floats(1, 2));
        try
        {
            File.CreateSymbolicLink(Path.Combine(_dir, "model", "link.bin"), Path.Combine(_dir, "secret.bin"));
            Directory.CreateSymbolicLink(Path.Combine(_dir, "model", "up"), _dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Assert.Inconclusive("symbolic links cannot be created here: " + e.Message);
        }

        foreach (string location in new[] { "link.bin", "up/secret.bin" })
        {
            var result = OnnxModelLoader.Load(WriteExternalModel(location));
            Assert.IsTrue(result.Diagnostics.Any(d => d.Code == OnnxDiagnostics.ExternalDataOutsideModel.Code), location + ": " + string.Join("\n", result.Diagnostics));
        }
    }

    [TestMethod]
    public void MissingOrShortExternalFileIsADiagnostic()
    {
        var missing = OnnxModelLoader.Load(WriteExternalModel("nope.bin"));
        Assert.AreEqual(OnnxDiagnostics.ExternalDataMissing.Code, missing.Diagnostics.Single().Code);

        File.WriteAllBytes(Path.Combine(_dir, "model", "short.bin"), Floats(1));
        var shortFile = OnnxModelLoader.Load(WriteExternalModel("short.bin", offset: 0, length: 8));
        Assert.AreEqual(OnnxDiagnostics.ExternalDataMissing.Code, shortFile.Diagnostics.Single().Code);
        StringAssert.Contains(shortFile.Diagnostics[0].Message, "too short");

        // Present but the wrong size for the tensor's shape: reported when converting.
        var wrongSize = OnnxImporter.Import(WriteExternalModel("short.bin"));
        Assert.IsTrue(wrongSize.Diagnostics.Any(d => d.Code == OnnxDiagnostics.InvalidTensorData.Code), string.Join("\n", wrongSize.Diagnostics));
    }

    [TestMethod]
    public void GarbageAndTruncationGiveMalformedModel()
    {
        var model = TinyModels.Model(TinyModels.ReluGraph()).ToByteArray();
        foreach (var bytes in new[] { model[..(model.Length / 2)], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Array.Empty<byte>() })
        {
            var result = OnnxModelLoader.Load(bytes, "m.onnx", null);
            Assert.IsFalse(result.Succeeded);
            Assert.AreEqual(OnnxDiagnostics.MalformedModel.Code, result.Diagnostics[0].Code);
        }
    }

    [TestMethod]
    public void CorruptLengthPrefixDoesNotAllocate()
    {
        // Field 7 (graph), length-delimited, with a varint length of ~2^62 and nothing after it.
        byte[] bytes = [0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F];
        var result = OnnxModelLoader.Load(bytes, "m.onnx", null);
        Assert.AreEqual(OnnxDiagnostics.MalformedModel.Code, result.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void MissingFileIsADiagnostic()
    {
        var result = OnnxModelLoader.Load(Path.Combine(_dir, "none.onnx"));
        Assert.AreEqual(OnnxDiagnostics.FileNotReadable.Code, result.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void OldOpsetAndIrVersionsAreRejectedNewerOnesWarned()
    {
        var old = OnnxModelLoader.Load(TinyModels.Model(TinyModels.ReluGraph(), opset: 5).ToByteArray(), null, null);
        Assert.AreEqual(OnnxDiagnostics.UnsupportedOpset.Code, old.Diagnostics.Single().Code);
        var oldIr = OnnxModelLoader.Load(TinyModels.Model(TinyModels.ReluGraph(), irVersion: 2).ToByteArray(), null, null);
        Assert.AreEqual(OnnxDiagnostics.UnsupportedIrVersion.Code, oldIr.Diagnostics.Single().Code);
        var newer = OnnxModelLoader.Load(TinyModels.Model(TinyModels.ReluGraph(), opset: 99).ToByteArray(), null, null);
        Assert.IsTrue(newer.Succeeded);
        Assert.AreEqual(OnnxDiagnostics.NewerThanTested.Code, newer.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void TensorRoundTripsThroughTensorProtoBytes()
    {
        var original = Tensor.Create(new Shape(2, 3), new long[] { 1, -2, 3, long.MaxValue, 0, 7 });
        string file = Path.Combine(_dir, "t.pb");
        TensorProtoConverter.WriteFile(original, file, "t");
        var read = TensorProtoConverter.ReadFile(file);
        Assert.IsTrue(read.Succeeded);
        Assert.AreEqual(original.Shape, read.Value!.Shape);
        CollectionAssert.AreEqual(original.Data, ((Tensor<long>)read.Value).Data);
    }

    [TestMethod]
    public void TypedFieldsAndRawDataBothRead()
    {
        var typed = new TensorProto { DataType = 10 };
        typed.Dims.Add(2);
        typed.Int32Data.Add(BitConverter.HalfToUInt16Bits((Half)1.5f));
        typed.Int32Data.Add(BitConverter.HalfToUInt16Bits((Half)(-3f)));
        var bag = new Emc.Diagnostics.DiagnosticBag();
        var half = (Tensor<Half>)TensorProtoConverter.FromProto(typed, null, bag)!;
        CollectionAssert.AreEqual(new[] { (Half)1.5f, (Half)(-3f) }, half.Data);

        var boolRaw = new TensorProto { DataType = 9, RawData = ByteString.CopyFrom(1, 0, 1) };
        boolRaw.Dims.Add(3);
        CollectionAssert.AreEqual(new[] { true, false, true }, ((Tensor<bool>)TensorProtoConverter.FromProto(boolRaw, null, bag)!).Data);

        var strings = new TensorProto { DataType = 8 };
        strings.StringData.Add(ByteString.CopyFromUtf8("a"));
        strings.Dims.Add(1);
        Assert.IsNull(TensorProtoConverter.FromProto(strings, null, bag));
        Assert.AreEqual(OnnxDiagnostics.InvalidTensorData.Code, bag.Single().Code);
    }

    [TestMethod]
    public void HugeDimsWithTinyDataAreRejectedBeforeAllocation()
    {
        var t = new TensorProto { DataType = 1, RawData = ByteString.CopyFrom(0, 0, 0, 0) };
        t.Dims.Add(1L << 40);
        t.Dims.Add(1L << 40);
        var bag = new Emc.Diagnostics.DiagnosticBag();
        Assert.IsNull(TensorProtoConverter.FromProto(t, null, bag));
        Assert.AreEqual(OnnxDiagnostics.InvalidTensorData.Code, bag.Single().Code);
    }
}
