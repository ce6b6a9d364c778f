using Emc.Compiler.CodeGen.Tail;
using Emc.Compiler.Import;
using Emc.Compiler.Tests.Compilation;

namespace Emc.Compiler.Tests.CodeGen;

/// <summary>The tail's multiply-adds the EMC0523 note states, counted by hand for a conv, a Gemm and an LSTM.</summary>
[TestClass]
public sealed class TailCostTests
{
    [TestMethod]
    public void MultiplyAddsOfConvGemmAndLstm()
    {
        var b = new OnnxNetBuilder("x", 1, 6, 4, 5) { Opset = 13 };
        var random = new Random(1);
        float[] Rand(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble())];
        string conv = b.Conv("x", Rand(8 * 6 * 9), Rand(8), 8, 6, 3, 1, [1, 1, 1, 1]);
        string gemm = b.Node("Gemm", [b.Node("Flatten", ["x"]), b.Constant(Rand(10 * 120), 10, 120)], ("transB", 1));
        string seq = b.Node("Reshape", ["x", b.Int64Constant(6, 4, 5)]);
        string lstm = b.Node("LSTM", [seq, b.Constant(Rand(4 * 3 * 5), 1, 12, 5), b.Constant(Rand(4 * 3 * 3), 1, 12, 3)], ("hidden_size", 3));
        var graph = OnnxImporter.Import(b.Build(conv, gemm, lstm)).Value!;
        var tail = HostTail.Extract(graph, ["x"])!;

        // Conv: 8 outputs × 4×5 pixels × 6 inputs × 3×3 taps; Gemm: 10 × 120; LSTM: 6 steps × 4 items × 4 gates × 3 units × (5 + 3).
        long expected = (8 * 20 * 6 * 9) + (10 * 120) + (6 * 4 * 4 * 3 * 8);
        Assert.AreEqual(expected, TailCost.MultiplyAdds(tail));
        Assert.AreEqual(expected * 3 / 400.0 / 1000, TailCost.EstimatedMilliseconds(expected), 1e-12);
    }
}
