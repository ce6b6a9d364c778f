using Emc.Compiler.Calibration;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.Tests.Import;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Emc.Tests.Shared;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Reliability;

/// <summary>
/// Issue 15, items 2 and 3: FIFOs, devices, folder-link loops and sparse files with huge declared sizes give a
/// diagnostic quickly and without allocating what they declare.
/// </summary>
[TestClass]
public sealed class SpecialInputFileTests
{
    private const long SmallAllocation = 64L << 20;

    public static GraphProto ExternalGraph(string location, long[] dims, long? length = null)
    {
        var g = new GraphProto();
        g.Input.Add(TinyModels.Float("x", 1, 2));
        g.Output.Add(TinyModels.Float("y", 1, 2));
        var w = new TensorProto { Name = "w", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
        w.Dims.AddRange(dims);
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (length is not null)
        {
            w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        g.Initializer.Add(w);
        g.Node.Add(TinyModels.Node("Relu", "relu", ["x"], ["y"]));
        return g;
    }

    private static string WriteModel(string dir, GraphProto g)
    {
        string path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, TinyModels.Model(g).ToByteArray());
        return path;
    }

    [TestMethod]
    [Timeout(30000)]
    public void ExternalDataInAFifoIsRefused()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeFifo(dir["w.bin"]);
        var result = OnnxModelLoader.Load(WriteModel(dir.Path, ExternalGraph("w.bin", [2])));

        var error = result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual(OnnxDiagnostics.ExternalDataMissing.Code, error.Code);
        StringAssert.Contains(error.Message, "FIFO");
    }

    [TestMethod]
    public void ExternalLengthIsCheckedAgainstTheTensorBeforeReading()
    {
        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeSparse(dir["w.bin"], 4L << 30);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var noLength = OnnxModelLoader.Load(WriteModel(dir.Path, ExternalGraph("w.bin", [2])));
        var wrongLength = OnnxModelLoader.Load(WriteModel(dir.Path, ExternalGraph("w.bin", [2], length: 3L << 30)));

        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        Assert.AreEqual(OnnxDiagnostics.InvalidTensorData.Code, noLength.Diagnostics.Single(d => d.IsError).Code);
        Assert.AreEqual(OnnxDiagnostics.InvalidTensorData.Code, wrongLength.Diagnostics.Single(d => d.IsError).Code);
        StringAssert.Contains(wrongLength.Diagnostics.Single().Message, "needs 8 bytes");
    }

    [TestMethod]
    public void HugeDeclaredInitializerIsRefusedBeforeReading()
    {
        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeSparse(dir["w.bin"], 2_000_000_000L);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var result = OnnxImporter.Import(WriteModel(dir.Path, ExternalGraph("w.bin", [500_000_000])));

        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < SmallAllocation);
        var error = result.Diagnostics.First(d => d.IsError);
        Assert.AreEqual(OnnxDiagnostics.InvalidTensorData.Code, error.Code);
        StringAssert.Contains(error.Message, "2000000000 bytes");
    }

    [TestMethod]
    [Timeout(30000)]
    public void DeviceAsModelIsRefused()
    {
        if (!File.Exists("/dev/zero"))
        {
            Assert.Inconclusive("needs /dev/zero");
        }

        var result = OnnxModelLoader.Load("/dev/zero");

        var error = result.Diagnostics.Single();
        Assert.AreEqual(OnnxDiagnostics.FileNotReadable.Code, error.Code);
        StringAssert.Contains(error.Message, "character device");
    }

    private static byte[] Npy(params float[] values)
    {
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2, 2), }";
        header = header.PadRight(118) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0, (byte)header.Length, 0]);
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        bytes.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        return [.. bytes];
    }

    private static List<CalibrationSample> LoadDataset(string folder, DiagnosticBag diagnostics)
    {
        var pre = new Preprocessing([1.0 / 255], [0], false);
        return DatasetLoader.Load(new CompileOptions { Dataset = [folder] }, InputLayout.Planar(new Shape(1, 1, 2, 2)), pre, diagnostics);
    }

    [TestMethod]
    [Timeout(30000)]
    public void DatasetSkipsFifosAndDoesNotFollowFolderLinks()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["one.npy"], Npy(0, 0.25f, 0.5f, 1));
        SpecialFiles.MakeFifo(dir["a.png"]);
        Directory.CreateDirectory(dir["sub"]);
        SpecialFiles.Link(dir["sub/a"], "..");
        SpecialFiles.Link(dir["sub/b"], "..");
        SpecialFiles.Link(dir["sub/loop"], "..");
        var diagnostics = new DiagnosticBag();

        var samples = LoadDataset(dir.Path, diagnostics);

        Assert.AreEqual(1, samples.Count, string.Join("\n", diagnostics));
        Assert.IsFalse(diagnostics.HasErrors, string.Join("\n", diagnostics));
    }

    [TestMethod]
    [Timeout(30000)]
    public void TensorFileWithExternalDataInAFifoIsRefused()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeFifo(dir["data.bin"]);
        var t = new TensorProto { Name = "x", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange([1, 1, 2, 2]);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "data.bin" });
        File.WriteAllBytes(dir["x.pb"], t.ToByteArray());
        var diagnostics = new DiagnosticBag();

        var samples = LoadDataset(dir["x.pb"], diagnostics);

        Assert.AreEqual(0, samples.Count);
        StringAssert.Contains(string.Join("\n", diagnostics), "FIFO");
    }
}
