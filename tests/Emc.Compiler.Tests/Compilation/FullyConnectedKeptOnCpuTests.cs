using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Issue 14 item 5: <c>--fully-connected kpu</c> never keeps a layer on the CPU silently. A Gemm becomes a 1×1 KPU conv
/// whose input channels are the input vector; the KPU takes at most 1024 channels, so MNIST's 3136→128 layer stays a
/// CPU FULLY_CONNECTED and EMC0511 says which node and which limit.
/// </summary>
[TestClass]
public sealed class FullyConnectedKeptOnCpuTests
{
    [TestMethod]
    public void TooWideLayerStaysOnTheCpuWithAWarningNamingNodeAndLimit()
    {
        var (result, wide) = Compile(FullyConnectedTarget.Kpu);

        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var warning = result.Diagnostics.Single(d => d.Code == "EMC0511");
        Assert.IsFalse(warning.IsError);
        StringAssert.Contains(warning.Message, $"node '{wide}' (Gemm): stays a CPU FULLY_CONNECTED: its 3136 inputs exceed the KPU conv's 1024 input channels");
        var layers = KmodelReader.Read(result.Kmodel!).Value!.Layers.Select(l => l.Type).ToList();
        Assert.AreEqual(1, layers.Count(t => t == KmodelLayerType.FullyConnected), "3136→128 on the CPU");
        Assert.AreEqual(2, layers.Count(t => t == KmodelLayerType.K210Conv), "the conv, and 128→10 as a KPU conv (no warning for it): " + string.Join(", ", layers));
    }

    [TestMethod]
    [DataRow(FullyConnectedTarget.Default)]
    [DataRow(FullyConnectedTarget.Cpu)]
    public void CpuPlacementAskedForIsNoWarning(FullyConnectedTarget target)
    {
        var (result, _) = Compile(target);

        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.IsFalse(result.Diagnostics.Any(d => d.Code == "EMC0511"), string.Join(Environment.NewLine, result.Diagnostics));
    }

    /// <summary>MNIST-sized: 1×28×28 → 3×3 conv to 4 channels → Flatten (3136) → Gemm 3136→128 → Relu → Gemm 128→10.</summary>
    private static (CompileResult Result, string WideNode) Compile(FullyConnectedTarget target)
    {
        var random = new Random(14);
        var b = new OnnxNetBuilder("x", 1, 1, 28, 28);
        string conv = b.RandomConv("x", 1, 4, 3, random);
        string flat = b.Node("Flatten", [b.Node("Relu", [conv])], ("axis", 1));
        string wide = Gemm(b, flat, 3136, 128, random);
        string hidden = b.Node("Relu", [wide]);
        string y = Gemm(b, hidden, 128, 10, random);
        var graph = OnnxImporter.Import(b.Build(y)).Value!;
        return (KmodelCompiler.Compile(graph, new CompileOptions { InputRange = (0f, 1f), FullyConnected = target }), wide + "_node");
    }

    private static string Gemm(OnnxNetBuilder b, string x, int inputs, int outputs, Random random)
    {
        var w = Enumerable.Range(0, inputs * outputs).Select(_ => (float)((random.NextDouble() * 2) - 1) / inputs).ToArray();
        return b.Node("Gemm", [x, b.Constant(w, outputs, inputs), b.Constant(new float[outputs], outputs)], ("transB", 1));
    }
}
