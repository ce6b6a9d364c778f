using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A device input over 65536 pixels that feeds more than one conv (here a CPU max pool too) passes through the identity
/// first layer as its row blocks: [C, H, W] read and written as [C·k, H/k, W], the same bytes in KPU RAM and main memory,
/// every output plane within channel_byte_num (was EMC0503 on '(input) x'). Judged against the float evaluator.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class RowBlockInputTests
{
    [TestMethod]
    [DataRow(240, 320, DisplayName = "3x240x320 (rows of 5 KPU units, planar = KPU layout)")]
    [DataRow(300, 256, DisplayName = "3x300x256")]
    [DataRow(270, 250, DisplayName = "3x270x250 (rows padded to 256 bytes in KPU RAM)")]
    [DataRow(240, 320, true, DisplayName = "3x240x320, bgr device input (the identity layer swaps red and blue per row block)")]
    public void LargeInputReadByAConvAndAPoolMatchesTheFloatModel(int h, int w, bool bgr = false)
    {
        var b = new OnnxNetBuilder("x", 1, 3, h, w);
        var random = new Random(h * w);
        var weights = Enumerable.Range(0, 3 * 27).Select(_ => (float)((random.NextDouble() * 2) - 1) / 6).ToArray();
        string conv = b.Conv("x", weights, new float[3], 3, 3, 3, 2, [1, 1, 1, 1]);
        string pool = b.Node("MaxPool", ["x"], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        var net = CompiledNet.Compile(b.Build(b.Node("Add", [conv, pool])), CompiledNet.RandomSamples(2, 3 * h * w, 5),
            new CompileOptions { Calibration = CalibrationMethod.MinMax, ChannelOrder = bgr ? ChannelOrder.Bgr : ChannelOrder.Rgb },
            bgr ? SwapRedBlue : null);
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        var convs = net.File!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.IsFalse(convs.Any(c => c.Registers.OutWidth * c.Registers.OutHeight > 65536));
        var first = convs[0].Registers;
        Assert.AreEqual((6, h / 2, w), (first.InChannels, first.InHeight, first.InWidth), "the identity layer reads the input as two row blocks per channel");
        double step = net.Expected.SelectMany(e => e).Max(Math.Abs) / 255;
        Console.WriteLine($"layers {string.Join(",", net.LayerTypes.GroupBy(t => t).Select(g => $"{g.Key}×{g.Count()}"))}: max error {net.MaxError():G4} ({net.MaxError() / step:F2} steps), SQNR {net.SqnrDb():F1} dB");
        // The pool passes input bytes; the conv output and the add each round once on their own grids.
        Assert.IsLessThanOrEqualTo(4 * step, net.MaxError(), $"SQNR {net.SqnrDb():F1} dB");
        Assert.IsGreaterThan(40, net.SqnrDb());
    }

    /// <summary>The graph's RGB input from BGR device planes.</summary>
    private static byte[] SwapRedBlue(byte[] device)
    {
        int plane = device.Length / 3;
        return [.. device.AsSpan(2 * plane, plane), .. device.AsSpan(plane, plane), .. device.AsSpan(0, plane)];
    }
}
