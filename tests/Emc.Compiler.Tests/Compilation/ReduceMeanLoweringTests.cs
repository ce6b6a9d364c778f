using Emc.Compiler.Compilation;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// ReduceMean over H and W (PyTorch's <c>x.mean((2, 3))</c>, tf2onnx's GlobalAveragePooling2D) is a global average pool
/// (issue 16 item 5): simulated kmodel vs the float evaluator, whose ReduceMean is checked against ONNX Runtime in
/// Differential/. Any other reduction is rejected naming the node and the limit.
/// </summary>
[TestClass]
public sealed class ReduceMeanLoweringTests
{
    private const int Side = 8;

    [TestMethod]
    [DataRow(1L)]
    [DataRow(0L)]
    public void SpatialMeanIsAGlobalAveragePool(long keepDims)
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        var random = new Random(3);
        string conv = b.RandomConv("x", 3, 8, 3, random);
        string mean = b.Node("ReduceMean", [b.Node("Relu", [conv])], ("axes", new[] { 2, 3 }), ("keepdims", keepDims));
        string flat = keepDims == 1 ? b.Node("Flatten", [mean], ("axis", 1)) : mean;
        var fc = Enumerable.Range(0, 5 * 8).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        string y = b.Node("Gemm", [flat, b.Constant(fc, 5, 8)], ("transB", 1));
        var samples = CompiledNet.RandomSamples(6, 3 * Side * Side, 9);

        var net = CompiledNet.Compile(b.Build(y), samples);

        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        CollectionAssert.Contains(net.LayerTypes.ToList(), KmodelLayerType.GlobalAveragePool2D);
        Console.WriteLine($"keepdims {keepDims}: SQNR vs float {net.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(35, net.SqnrDb());
    }

    [TestMethod]
    public void AMeanOverChannelsNamesTheLimit()
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string conv = b.RandomConv("x", 3, 8, 3, new Random(4));
        var model = b.Build(b.Node("ReduceMean", [conv], ("axes", new[] { 1 })));

        var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(2, 3 * Side * Side, 1));

        var error = net.Result.Diagnostics.Single(d => d.IsError);
        StringAssert.Contains(error.Message, "ReduceMean");
        StringAssert.Contains(error.Message, "GLOBAL_AVERAGE_POOL2D");
    }
}
