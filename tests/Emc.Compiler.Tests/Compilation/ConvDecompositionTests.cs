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

    /// <summary>A dilated depthwise conv (DeepLabV3's atrous blocks) reads windows centred on its taps: every regular KPU
    /// conv over the stack is 1×1 (a 3×3 one would hold 8 zero taps per weight), and the result follows the float model.</summary>
    [TestMethod]
    [DataRow(2, DisplayName = "depthwise 3×3 dilation 2")]
    [DataRow(4, DisplayName = "depthwise 3×3 dilation 4")]
    public void DilatedDepthwiseConvReadsCentredWindows(int d)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string a = Conv(b, "x", 3, 16, 3, 3, [1, 1, 1, 1], [1, 1], [1, 1], 1);
        var net = Check(b.Build(Conv(b, a, 16, 16, 3, 3, [d, d, d, d], [1, 1], [d, d], 16)));
        var regular = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().Skip(1).Where(c => !c.Registers.DepthWiseLayer).ToList();
        Assert.IsNotEmpty(regular);
        Assert.IsTrue(regular.All(c => c.Registers.KernelSize == 1), string.Join(",", regular.Select(c => c.Registers.KernelSize)));
    }

    /// <summary>What no construction realises exactly gets EMC0502 naming the node, the op and the limit.</summary>
    [TestMethod]
    [DataRow(1, 1, 1, 8, "reaches beyond the stride-1 map", DisplayName = "1×1 with padding: border outputs read only padding")]
    [DataRow(7, 7, 3, 128, "9 shifted copies of the 128 input channels (1152 stacked channels, limit 1024)", DisplayName = "7×7 over 128 channels")]
    public void UnrealisableConvsAreDiagnosed(int kh, int kw, int pad, int channels, string reason)
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string a = Conv(b, "x", 3, channels, 3, 3, [1, 1, 1, 1], [1, 1], [1, 1], 1);
        var net = CompiledNet.Compile(b.Build(Conv(b, a, channels, 8, kh, kw, [pad, pad, pad, pad], [1, 1], [1, 1], 1)), CompiledNet.RandomSamples(2, 3 * 16 * 16, 3));
        var error = net.Result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual("EMC0502", error.Code);
        StringAssert.Contains(error.Message, "(Conv)");
        StringAssert.Contains(error.Message, reason);
    }

    /// <summary>Cost of each construction on a 16-channel 16×16 map (the conv after the first layer): KPU layers,
    /// KPU multiply-accumulates against the ONNX conv's own, weight bytes and the KPU RAM peak; and its accuracy.</summary>
    [TestMethod]
    [DataRow(3, 3, 1, 1, 1, DisplayName = "3×3 native (reference)")]
    [DataRow(5, 5, 2, 1, 1, DisplayName = "5×5 same")]
    [DataRow(5, 5, 0, 1, 1, DisplayName = "5×5 valid")]
    [DataRow(7, 7, 3, 1, 1, DisplayName = "7×7 same")]
    [DataRow(7, 7, 3, 2, 1, DisplayName = "7×7 stride 2")]
    [DataRow(1, 5, -1, 1, 1, DisplayName = "1×5 same")]
    [DataRow(1, 13, -1, 1, 1, DisplayName = "1×13 same")]
    [DataRow(5, 5, 2, 1, 16, DisplayName = "5×5 depthwise")]
    [DataRow(7, 7, 3, 1, 16, DisplayName = "7×7 depthwise")]
    [DataRow(3, 3, 1, 1, 4, DisplayName = "3×3 group 4")]
    [DataRow(3, 3, 2, 1, -2, DisplayName = "3×3 dilation 2")]
    [DataRow(3, 3, 5, 1, -5, DisplayName = "3×3 dilation 5")]
    public void ReportsTheCostOfEachConstruction(int kh, int kw, int pad, int stride, int groupOrDilation)
    {
        int group = Math.Max(1, groupOrDilation), d = Math.Max(1, -groupOrDilation);
        int[] pads = pad >= 0 ? [pad, pad, pad, pad] : [(kh - 1) / 2, (kw - 1) / 2, kh / 2, kw / 2];
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string a = Conv(b, "x", 3, 16, 3, 3, [1, 1, 1, 1], [1, 1], [1, 1], 1);
        var net = CompiledNet.Compile(b.Build(b.Node("Relu", [Conv(b, a, 16, 16, kh, kw, pads, [stride, stride], [d, d], group)])),
            CompiledNet.RandomSamples(6, 3 * 16 * 16, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var report = net.Result.Report!;
        var layers = report.Layers.Skip(1).Where(l => l.LayerType != "dequantize").ToList();
        int eh = ((kh - 1) * d) + 1, ew = ((kw - 1) * d) + 1;
        int oh = ((16 + pads[0] + pads[2] - eh) / stride) + 1, ow = ((16 + pads[1] + pads[3] - ew) / stride) + 1;
        long onnxMacs = 16L * (16 / group) * kh * kw * oh * ow;
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"| {kh}×{kw} p{pad} s{stride} g{group} d{d} | {layers.Count(l => l.OnKpu)} KPU + {layers.Count(l => !l.OnKpu)} CPU | KPU MACs {layers.Where(l => l.OnKpu).Sum(l => l.Macs)} (ONNX conv {onnxMacs}) | weights {layers.Sum(l => l.WeightBytes)} B | KPU peak {report.KpuPeakUnits} units | main {report.MainMemoryUsage} B | est. {layers.Sum(l => l.EstimatedMicroseconds):F0} µs | max error {net.MaxError() / step:F2} steps, SQNR {net.SqnrDb():F1} dB |");
    }

    /// <summary>A 3×3 conv with pads (2,2,0,0) is the native pads-(1,1,1,1) conv moved one pixel down-right; it goes
    /// through a stack of 4 shifted copies. With both outputs saturating ReLU6 (same output quantization) every
    /// shared pixel must match the native layer bit for bit: the copies are exact and the sum is one accumulation.</summary>
    [TestMethod]
    public void DecomposedConvMatchesTheNativeLayerBitForBit()
    {
        CompiledNet Build(int[] pads)
        {
            var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
            string a = Conv(b, "x", 3, 8, 3, 3, [1, 1, 1, 1], [1, 1], [1, 1], 1);
            string y = Conv(b, a, 8, 8, 3, 3, pads, [1, 1], [1, 1], 1, scale: 300);
            var net = CompiledNet.Compile(b.Build(b.Node("Clip", [y, b.Constant([0f]), b.Constant([6f])])),
                CompiledNet.RandomSamples(6, 3 * 16 * 16, 3), new CompileOptions { Calibration = CalibrationMethod.MinMax });
            Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
            return net;
        }

        var native = Build([1, 1, 1, 1]);
        var shifted = Build([2, 2, 0, 0]);
        Assert.AreEqual(2, native.LayerTypes.Count(t => t == KmodelLayerType.K210Conv));
        Assert.AreEqual(1 + 4 + 1, shifted.LayerTypes.Count(t => t == KmodelLayerType.K210Conv), "4 shifted copies, then one 3×3 conv");
        Console.WriteLine($"output max {native.Expected.SelectMany(e => e).Max()} {shifted.Expected.SelectMany(e => e).Max()}");
        Assert.AreEqual(6f, native.Expected.SelectMany(e => e).Max(), "the output saturates (fixed output range)");
        int differ = 0, compared = 0;
        for (int s = 0; s < native.Simulated.Count; s++)
        {
            for (int c = 0; c < 8; c++)
            {
                for (int y = 1; y < 16; y++)
                {
                    for (int x = 1; x < 16; x++)
                    {
                        compared++;
                        differ += shifted.Simulated[s][(c * 256) + (y * 16) + x] == native.Simulated[s][(c * 256) + ((y - 1) * 16) + x - 1] ? 0 : 1;
                    }
                }
            }
        }

        Console.WriteLine($"{differ} of {compared} values differ; max error native {native.MaxError():G4}, decomposed {shifted.MaxError():G4}");
        Assert.AreEqual(0, differ);
    }

    /// <summary>Every KPU-made shifted copy holds the input bytes moved by (dy, dx) and the pad value where they left the map.</summary>
    [TestMethod]
    public void ShiftedCopiesAreByteExact()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string a = Conv(b, "x", 3, 8, 3, 3, [1, 1, 1, 1], [1, 1], [1, 1], 1);
        var net = CompiledNet.Compile(b.Build(Conv(b, a, 8, 8, 7, 7, [3, 3, 3, 3], [1, 1], [1, 1], 1)), CompiledNet.RandomSamples(2, 3 * 16 * 16, 3));
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var traces = new List<byte[]>();
        var simulator = Emc.Kmodel.Simulation.KmodelSimulator.Create(net.File!, new Emc.Kmodel.Simulation.SimulatorOptions
        {
            Trace = (_, type, output) => traces.Add(output.ToArray()),
        }).Value!;
        simulator.Run(CompiledNet.RandomSamples(1, 3 * 16 * 16, 9)[0]);
        var input = traces[0];
        var found = new HashSet<(int, int)>();
        foreach (var copy in traces.Skip(1).Take(traces.Count - 3))
        {
            Assert.AreEqual(input.Length, copy.Length);
            (int, int)? match = null;
            for (int dy = -3; dy <= 3 && match is null; dy++)
            {
                for (int dx = -3; dx <= 3 && match is null; dx++)
                {
                    if (IsShift(input, copy, dy, dx))
                    {
                        match = (dy, dx);
                    }
                }
            }

            Assert.IsNotNull(match, "a layer output that is no exact shifted copy");
            found.Add(match.Value);
        }

        Console.WriteLine("copies: " + string.Join(" ", found));
        Assert.AreEqual(9, found.Count(f => f.Item1 % 2 == 0 && f.Item2 % 2 == 0), "7×7 same: windows at shifts {−2, 0, 2}²");
    }

    private static bool IsShift(byte[] input, byte[] copy, int dy, int dx)
    {
        int? pad = null;
        for (int c = 0; c < 8; c++)
        {
            for (int y = 0; y < 16; y++)
            {
                for (int x = 0; x < 16; x++)
                {
                    int sy = y + dy, sx = x + dx;
                    byte v = copy[(c * 256) + (y * 16) + x];
                    if (sy is >= 0 and < 16 && sx is >= 0 and < 16)
                    {
                        if (v != input[(c * 256) + (sy * 16) + sx])
                        {
                            return false;
                        }
                    }
                    else if ((pad ??= v) != v)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
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

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int kh, int kw, int[] pads, int[] strides, int[] dilations, int group, int seed = 11, float scale = 1)
    {
        var random = new Random(seed + kh * 100 + kw);
        int per = ic / group * kh * kw;
        var w = new float[oc * per];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)((random.NextDouble() * 2) - 1) / per * 2 * scale;
        }

        var bias = Enumerable.Range(0, oc).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        return b.Node("Conv", [x, b.Constant(w, oc, ic / group, kh, kw), b.Constant(bias, oc)],
            ("kernel_shape", new[] { kh, kw }), ("strides", strides), ("pads", pads), ("dilations", dilations), ("group", group));
    }
}
