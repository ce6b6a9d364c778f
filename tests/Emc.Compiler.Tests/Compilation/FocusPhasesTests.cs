using Emc.Compiler.Compilation;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>YOLOv5/YOLOX Focus with all four phases (rows and columns from 0 or 1), then a conv: judged against the float evaluator.</summary>
[TestClass]
public sealed class FocusPhasesTests
{
    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 0)]
    [DataRow(0, 1)]
    [DataRow(1, 1)]
    public void OnePhaseIsExact(int row, int col)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string p = Phase(b, row, col);
        var net = CompiledNet.Compile(b.Build(p), CompiledNet.RandomSamples(4, 3 * 256, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.IsLessThanOrEqualTo(1e-6, net.MaxError(), $"phase ({row},{col}): layers {string.Join(",", net.LayerTypes)}");
    }

    [TestMethod]
    public void FourPhasesConcatenatedAreExact()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string y = b.Node("Concat", [Phase(b, 0, 0), Phase(b, 1, 0), Phase(b, 0, 1), Phase(b, 1, 1)], ("axis", 1));
        var net = CompiledNet.Compile(b.Build(y), CompiledNet.RandomSamples(4, 3 * 256, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        Assert.IsLessThanOrEqualTo(1e-6, net.MaxError(), $"layers {string.Join(",", net.LayerTypes)}");
    }

    private static string Phase(OnnxNetBuilder b, int row, int col)
    {
        string rows = b.Node("Slice", ["x", b.Int64Constant(row), b.Int64Constant(16), b.Int64Constant(2), b.Int64Constant(2)]);
        return b.Node("Slice", [rows, b.Int64Constant(col), b.Int64Constant(16), b.Int64Constant(3), b.Int64Constant(2)]);
    }
}
