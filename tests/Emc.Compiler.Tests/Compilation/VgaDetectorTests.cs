using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// The front of a 640×480 face detector in the style of Ultra-Light-Fast-Generic-Face-Detector's RFB-640 (a 3×3 stride-2
/// stem, depthwise-separable blocks at 240×320 and 120×160, a 3×3 head): every map over 65536 pixels per channel and some
/// over KPU RAM. Judged against the float evaluator.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class VgaDetectorTests
{
    [TestMethod]
    public void DetectorFrontAt640x480MatchesTheFloatModel()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 480, 640);
        var random = new Random(640);
        string Block(string x, int ic, int oc, int stride)
        {
            var dw = Enumerable.Range(0, ic * 9).Select(_ => (float)((random.NextDouble() * 2) - 1) / 3).ToArray();
            string d = b.Node("Relu", [b.Conv(x, dw, new float[ic], ic, ic, 3, stride, [1, 1, 1, 1], group: ic)]);
            return b.Node("Relu", [b.RandomConv(d, ic, oc, 1, random)]);
        }

        var stem = Enumerable.Range(0, 16 * 27).Select(_ => (float)((random.NextDouble() * 2) - 1) / 6).ToArray();
        string x = b.Node("Relu", [b.Conv("x", stem, new float[16], 16, 3, 3, 2, [1, 1, 1, 1])]);
        x = Block(x, 16, 32, 1);
        x = Block(x, 32, 32, 2);
        x = Block(x, 32, 64, 2);
        string head = b.RandomConv(x, 64, 6, 3, random);
        var net = CompiledNet.Compile(b.Build(head), CompiledNet.RandomSamples(2, 3 * 480 * 640, 3), new CompileOptions
        {
            Calibration = CalibrationMethod.MinMax,
            DeviceMemoryBytes = CompileOptions.K210DeviceMemoryBytes,
        });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var convs = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.IsFalse(convs.Any(c => c.Registers.OutWidth * c.Registers.OutHeight > 65536));
        var report = net.Result.Report!;
        Console.WriteLine($"{net.File.Layers.Count} layers ({string.Join(", ", net.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}); kmodel {net.Result.Kmodel!.Length} B, main {report.MainMemoryUsage} B; "
            + $"estimated {report.EstimatedMicroseconds / 1000:F1} ms; SQNR {net.SqnrDb():F1} dB");
        Assert.AreEqual(2, report.Passes.Single(p => p.Name == "strided-conv-by-row-bands").Applied, "the stem and the stride-2 depthwise at 240×320");
        Assert.IsLessThanOrEqualTo(CompileOptions.K210DeviceMemoryBytes, net.Result.Kmodel.Length + report.MainMemoryUsage);
        Assert.IsFalse(net.LayerTypes.Contains(KmodelLayerType.QuantizedMaxPool2D), "every stride-2 depthwise is pooled by the 1×1 conv after it");
        Assert.IsGreaterThan(44, net.SqnrDb()); // 47.2 dB measured
    }
}
