using Emc.Compiler.Compilation;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Outputs whose leading dimension is not a batch of 1 (YuNet's [1076, 2] scores after Reshape/Concat). Regression:
/// the lowering read [N, C] as batch N and kept only C values, so the kmodel returned 2 of 2152 scores.
/// Judged against the float evaluator.
/// </summary>
[TestClass]
public sealed class LeadingDimensionOutputTests
{
    [TestMethod]
    [DataRow(2, DisplayName = "[64, 2]")]
    [DataRow(3, DisplayName = "[1, 32, 4] (3-D)")]
    public void ReshapedOutputKeepsEveryValue(int rank)
    {
        var b = new OnnxNetBuilder("x", 1, 8, 4, 4);
        string c = b.RandomConv("x", 8, 8, 3, new Random(1));
        string y = b.Node("Reshape", [c, rank == 2 ? b.Int64Constant(64, 2) : b.Int64Constant(1, 32, 4)]);
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(4, 128, 2), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.AreEqual(128, net.Simulated[0].Length);
        Assert.IsGreaterThan(35, net.SqnrDb());
    }
}
