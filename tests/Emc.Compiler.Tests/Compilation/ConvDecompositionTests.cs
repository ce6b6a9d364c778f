using Emc.Compiler.Compilation;
using Emc.Compiler.K210.Graph;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Convolutions the KPU does not run natively (k×k up to 7×7 and beyond, 1×N, N×1, dilation, groups, unequal strides,
/// "valid" and asymmetric pads), each compiled, simulated and compared with the float evaluator; and the decomposition
/// of a 3×3 conv measured against the native layer.
/// </summary>
[TestClass]
public sealed class ConvDecompositionTests
{
    [TestMethod]
    [DataRow(5, 5, 2, 2, 2, 2, 1, 1, 1, 1, 1, DisplayName = "5×5 same")]
    [DataRow(5, 5, 0, 0, 0, 0, 1, 1, 1, 1, 1, DisplayName = "5×5 valid")]
    [DataRow(7, 7, 3, 3, 3, 3, 1, 1, 1, 1, 1, DisplayName = "7×7 same")]
    [DataRow(7, 7, 3, 3, 3, 3, 2, 2, 1, 1, 1, DisplayName = "7×7 stride 2 (ResNet stem)")]
    [DataRow(7, 7, 2, 2, 3, 3, 2, 2, 1, 1, 1, DisplayName = "7×7 stride 2 TF-SAME")]
    [DataRow(5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1, DisplayName = "5×5 stride 2 TF-SAME")]
    [DataRow(1, 3, 0, 1, 0, 1, 1, 1, 1, 1, 1, DisplayName = "1×3")]
    [DataRow(3, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, DisplayName = "3×1")]
    [DataRow(1, 5, 0, 2, 0, 2, 1, 1, 1, 1, 1, DisplayName = "1×5")]
    [DataRow(1, 13, 0, 6, 0, 6, 1, 1, 1, 1, 1, DisplayName = "1×13")]
    [DataRow(3, 3, 0, 0, 2, 2, 1, 1, 1, 1, 1, DisplayName = "3×3 pads (0,0,2,2)")]
    [DataRow(3, 3, 2, 2, 2, 2, 1, 1, 2, 2, 1, DisplayName = "3×3 dilation 2")]
    [DataRow(3, 3, 3, 3, 3, 3, 1, 1, 3, 3, 1, DisplayName = "3×3 dilation 3")]
    [DataRow(3, 3, 5, 5, 5, 5, 1, 1, 5, 5, 1, DisplayName = "3×3 dilation 5")]
    [DataRow(3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2, DisplayName = "3×3 group 2")]
    [DataRow(1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 4, DisplayName = "1×1 group 4")]
    [DataRow(5, 5, 2, 2, 2, 2, 1, 1, 1, 1, 8, DisplayName = "5×5 depthwise")]
    [DataRow(3, 3, 1, 1, 1, 1, 1, 2, 1, 1, 1, DisplayName = "3×3 strides 1×2")]
    [DataRow(3, 3, 1, 1, 1, 1, 2, 1, 1, 1, 1, DisplayName = "3×3 strides 2×1")]
    [DataRow(5, 5, 2, 2, 2, 2, 4, 4, 1, 1, 1, DisplayName = "5×5 stride 4")]
    public void DecomposedConvFollowsTheFloatModel(int kh, int kw, int pt, int pl, int pb, int pr, int sh, int sw, int dh, int dw, int group)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string a = Conv(b, "x", 3, 8, 3, 3, [1, 1, 1, 1], [1, 1], [1, 1], 1);
        string y = Conv(b, a, 8, 8, kh, kw, [pt, pl, pb, pr], [sh, sw], [dh, dw], group);
        var net = Check(b.Build(y));
        Console.WriteLine(string.Join(", ", net.Result.Report!.Passes.Where(p => p.Applied > 0).Select(p => $"{p.Name}×{p.Applied}")));
    }

    private static CompiledNet Check(Onnx.Protobuf.ModelProto model, int samples = 6)
    {
        var net = CompiledNet.Compile(model, CompiledNet.RandomSamples(samples, 3 * 16 * 16, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 127.5;
        double error = net.MaxError();
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes)}: max error {error:G4} ({error / step:F2} output steps), SQNR {net.SqnrDb():F1} dB");
        Assert.IsLessThanOrEqualTo(3 * step, error);
        return net;
    }

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int kh, int kw, int[] pads, int[] strides, int[] dilations, int group, int seed = 11)
    {
        var random = new Random(seed + kh * 100 + kw);
        int per = ic / group * kh * kw;
        var w = new float[oc * per];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)((random.NextDouble() * 2) - 1) / per * 2;
        }

        var bias = Enumerable.Range(0, oc).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        return b.Node("Conv", [x, b.Constant(w, oc, ic / group, kh, kw), b.Constant(bias, oc)],
            ("kernel_shape", new[] { kh, kw }), ("strides", strides), ("pads", pads), ("dilations", dilations), ("group", group));
    }
}
