using Emc.Compiler.Compilation;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Issue 14 item 4: an error about the input or its preprocessing invalidates every node after it, so it is the only
/// error; a conv that fails after fusing its followers takes them down with it (no "no device representation").
/// </summary>
[TestClass]
public sealed class OneCauseOneErrorTests
{
    private static readonly Random s_random = new(5);

    [TestMethod]
    public void BgrOnOneChannelModelIsOneError()
    {
        var b = new OnnxNetBuilder("x", 1, 1, 16, 16);
        string n = b.Node("MaxPool", [b.Node("Relu", [Conv(b, "x", 1, 4, 3)])], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        n = b.Node("MaxPool", [b.Node("Relu", [Conv(b, n, 4, 4, 3)])], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        n = Conv(b, n, 4, 4, 3);

        var errors = CompiledNet.Compile(b.Build(n), CompiledNet.RandomSamples(2, 256, 1), new CompileOptions { ChannelOrder = ChannelOrder.Bgr })
            .Result.Diagnostics.Where(d => d.IsError).ToList();

        Assert.AreEqual(1, errors.Count, string.Join("\n", errors));
        Assert.AreEqual("EMC0507", errors[0].Code);
        StringAssert.Contains(errors[0].Message, "channel order bgr needs 3 input channels");
    }

    [TestMethod]
    public void InvalidOptionsAreReportedBeforeTheChannelOrder()
    {
        // Three means for a one-channel input is an options error (EMC0509); the bgr mismatch is then not reported too.
        var b = new OnnxNetBuilder("x", 1, 1, 16, 16);
        var options = new CompileOptions { ChannelOrder = ChannelOrder.Bgr, Mean = [0.5f, 0.5f, 0.5f], Std = [0.2f, 0.2f, 0.2f] };

        var errors = CompiledNet.Compile(b.Build(Conv(b, "x", 1, 4, 3)), CompiledNet.RandomSamples(2, 256, 1), options)
            .Result.Diagnostics.Where(d => d.IsError).ToList();

        Assert.AreEqual("EMC0509", errors.Single().Code, string.Join("\n", errors));
    }

    [TestMethod]
    public void BgrOnRealMnistIsOneError()
    {
        string onnx = TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx");

        var errors = KmodelCompiler.Compile(onnx, new CompileOptions { ChannelOrder = ChannelOrder.Bgr }).Diagnostics.Where(d => d.IsError).ToList();

        Assert.AreEqual(1, errors.Count, string.Join("\n", errors));
        Assert.AreEqual("EMC0507", errors[0].Code);
    }

    [TestMethod]
    public void PreprocessingThatCannotFoldIntoTheFirstConvStopsLowering()
    {
        // A bgr device input before a depthwise first conv (the swap needs a regular conv), with a fused max-pool and more
        // convs after it: only the preprocessing error. (Per-channel offsets before a padded conv, this test's case until
        // now, go through the identity first layer at any map size: InputNormalizationTests.)
        var b = new OnnxNetBuilder("x", 1, 3, 32, 32);
        var depthwise = Enumerable.Range(0, 27).Select(i => (float)Math.Sin(i)).ToArray();
        string n = b.Node("MaxPool", [b.Conv("x", depthwise, new float[3], 3, 3, 3, 1, [1, 1, 1, 1], group: 3)], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
        n = Conv(b, b.Node("MaxPool", [Conv(b, n, 3, 4, 3)], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })), 4, 4, 3);

        var errors = CompiledNet.Compile(b.Build(n), CompiledNet.RandomSamples(1, 3 * 32 * 32, 1), new CompileOptions { ChannelOrder = ChannelOrder.Bgr })
            .Result.Diagnostics.Where(d => d.IsError).ToList();

        Assert.AreEqual(1, errors.Count, string.Join("\n", errors));
        Assert.AreEqual("EMC0507", errors[0].Code);
        StringAssert.Contains(errors[0].Message, "regular (not depthwise) first convolution");
    }

    private static string Conv(OnnxNetBuilder b, string x, int ic, int oc, int k) => b.RandomConv(x, ic, oc, k, s_random);
}
