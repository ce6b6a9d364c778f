using System.Diagnostics;
using Emc.Kmodel.Simulation;

namespace Emc.Kmodel.Tests;

/// <summary>
/// Issue 15 item 4: a layer with one empty dimension and another huge one declares no memory, so the memory checks
/// did not bound it, and the simulator looped for minutes. The reader now rejects it; the simulator never starts.
/// </summary>
[TestClass]
public sealed class DegenerateShapeTests
{
    private static IReadOnlyList<Emc.Diagnostics.Diagnostic> Read(LayerBody body)
    {
        var header = new KmodelHeader(3, 1, 0, 0, 64);
        var file = KmodelBuilder.Build(header, [new KmodelOutput(0, 16)], [body]);
        return KmodelReader.Read(KmodelWriter.Write(file)).Diagnostics;
    }

    [TestMethod]
    [Timeout(20000)]
    [DataRow(KmodelLayerType.TensorflowFlatten, 0u, 1u << 31, 1u << 31)]
    [DataRow(KmodelLayerType.TensorflowFlatten, 1u << 31, 0u, 7u)]
    [DataRow(KmodelLayerType.QuantizedTensorflowFlatten, 1u << 31, 1u << 31, 0u)]
    public void FlattenWithAnEmptyDimensionIsRejected(KmodelLayerType type, uint width, uint height, uint channels)
    {
        var d = Read(new TensorflowFlattenBody(type, 0, 16, width, height, channels));

        var error = d.First(x => x.IsError);
        Assert.AreEqual(KmodelDiagnostics.InvalidLayerField.Code, error.Code);
        StringAssert.Contains(error.Message, "empty dimension");
    }

    [TestMethod]
    [Timeout(20000)]
    public void MaxPoolWithAnEmptyInputIsRejectedAndNotSimulated()
    {
        var window = new PoolWindow(0, 1u << 31, 1, 1, 1u << 31, 1, 2, 2, 1, 1, 0, 0);
        var body = new QuantizedMaxPool2DBody(0, 16, window);
        var header = new KmodelHeader(3, 1, 0, 0, 64);
        var bytes = KmodelWriter.Write(KmodelBuilder.Build(header, [new KmodelOutput(0, 16)], [body]));
        var watch = Stopwatch.StartNew();

        var read = KmodelReader.Read(bytes);

        Assert.IsNull(read.Value);
        Assert.IsTrue(read.Diagnostics.Any(x => x.Code == KmodelDiagnostics.InvalidLayerField.Code && x.Message.Contains("empty dimension", StringComparison.Ordinal)),
            string.Join("\n", read.Diagnostics));
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [TestMethod]
    public void ValidFlattenStillReads()
    {
        var d = Read(new TensorflowFlattenBody(KmodelLayerType.TensorflowFlatten, 0, 32, 2, 2, 2));
        Assert.IsFalse(d.Any(x => x.IsError), string.Join("\n", d));
    }
}
