using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>A graph that lists its input among its outputs gets it as a kmodel output (the identity first layer's
/// main-memory copy, dequantized), in the graph's output order — it was silently left out; and a host tail that reads
/// the input gets it the same way at any size (was: no cut, EMC0501).</summary>
[TestClass]
public sealed class InputAsOutputTests
{
    [TestMethod]
    public void GraphInputListedAsAnOutputIsAKmodelOutput()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        var random = new Random(2);
        string y = b.Node("Relu", [b.RandomConv("x", 3, 8, 3, random)]);
        var model = b.Build(y, "x");
        var samples = CompiledNet.RandomSamples(2, 3 * 16 * 16, 8);
        var result = CompiledNet.CompileArtifacts(model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax }).Result;

        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        CollectionAssert.AreEqual(new[] { y, "x" }, result.Interface!.Outputs.Select(o => o.Name).ToArray());
        var simulator = KmodelSimulator.Create(KmodelReader.Read(result.Kmodel!).Value!).Value!;
        foreach (var q in samples)
        {
            var passed = simulator.Run(q).Outputs[1].AsFloat32()!;
            Assert.HasCount(q.Length, passed);
            for (int i = 0; i < q.Length; i++)
            {
                Assert.AreEqual(q[i] / 255f, passed[i], 1e-6f, $"pixel {i}");
            }
        }
    }

    [TestMethod]
    public void HostTailThatReadsTheInputGetsItPassedThrough()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 32, 32);
        var random = new Random(5);
        string sigma = b.Node("Sigmoid", [b.RandomConv("x", 3, 3, 3, random)]);
        var model = b.Build(b.Node("Div", ["x", b.Node("Add", [sigma, "x"])]));
        var result = CompiledNet.CompileArtifacts(model, CompiledNet.RandomSamples(2, 3 * 32 * 32, 6),
            new CompileOptions { Calibration = CalibrationMethod.MinMax, AutoTail = true }).Result;

        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Contains("x", result.Interface!.Outputs.Select(o => o.Name).ToList());
        Assert.IsTrue(result.Tail is { IsGenerated: true });
    }
}
