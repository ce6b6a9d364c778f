using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// <see cref="ActivationRanges.PerChannel"/> (issue 10 item 1): conv outputs whose channels span ranges far apart get a
/// scale per channel around one zero point — through the batch-norm words, folded into the weights of the KPU convs that
/// read them, and dequantized by CHANNELWISE_DEQUANTIZE where they leave the device. Judged by the simulated kmodel
/// against the float evaluator (itself checked against ONNX Runtime in Differential/), calibrated and measured on the
/// same samples (a representative dataset, the case the option is for).
/// </summary>
[TestClass]
public sealed class PerChannelActivationRangesTests
{
    private const int Side = 10;

    private static List<byte[]> Samples { get; } = CompiledNet.RandomSamples(8, 3 * Side * Side, 17);

    [TestMethod]
    public void ChannelsOfDistantRangesKeepTheirPrecisionThroughConvsAndTheOutput()
    {
        var model = Network(padded: false, depthwise: false);
        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb() + 10, perChannel.SqnrDb());
        CollectionAssert.Contains(perChannel.LayerTypes.ToList(), KmodelLayerType.ChannelwiseDequantize);
        CollectionAssert.DoesNotContain(perTensor.LayerTypes.ToList(), KmodelLayerType.ChannelwiseDequantize);
    }

    [TestMethod]
    public void APaddedDepthwiseReaderSeesRealZeroInEveryChannel()
    {
        // Linear conv outputs of both signs (zero point inside the codes) read by a padded 3×3 depthwise conv: the
        // shared zero point is every channel's real 0, so the padding stays exact.
        var model = Network(padded: true, depthwise: true);
        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        // A wrong pad value in any channel would cost its whole border ring (a fifth of the pixels here).
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb() + 1, perChannel.SqnrDb());
        Assert.IsGreaterThanOrEqualTo(34, perChannel.SqnrDb());
    }

    [TestMethod]
    public void ConcatInputsWrittenInPlaceKeepTheirOwnScales()
    {
        // Two convs of ranges 40× apart written in place into one concat buffer, read by a 1×1 conv that weighs both
        // alike: each conv's slice carries its own channels' scales into the reader's weights.
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string big = b.Conv("x", [.. Weights(4, 3, 3, 11).Select(w => w * 40)], [0, 0, 0, 0], 4, 3, 3, 1, [1, 1, 1, 1]);
        string small = b.Conv("x", Weights(4, 3, 3, 12), [0, 0, 0, 0], 4, 3, 3, 1, [1, 1, 1, 1]);
        var reader = Weights(4, 8, 1, 13);
        for (int i = 0; i < reader.Length; i++)
        {
            reader[i] *= i % 8 < 4 ? 1 / 40f : 1;
        }

        var model = b.Build(b.Conv(b.Node("Concat", [b.Node("Relu", [big]), b.Node("Relu", [small])], ("axis", 1)), reader, [0, 0, 0, 0], 4, 8, 1, 1, [0, 0, 0, 0]));
        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb() + 6, perChannel.SqnrDb());
    }

    [TestMethod]
    public void TensorsAReaderCannotTakePerChannelStayPerTensor()
    {
        // Both conv outputs feed a QUANTIZED_ADD (one scale per operand), whose own output has no conv to carry scales.
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string a = b.Conv("x", Weights(3, 3, 1, 1), [0, 0, 0], 3, 3, 1, 1, [0, 0, 0, 0]);
        string c = b.Conv("x", Weights(3, 3, 1, 2, spread: 50), [0, 0, 0], 3, 3, 1, 1, [0, 0, 0, 0]);
        var model = b.Build(b.Node("Add", [a, c]));

        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        CollectionAssert.Contains(perChannel.LayerTypes.ToList(), KmodelLayerType.QuantizedAdd);
        CollectionAssert.AreEqual(perTensor.Result.Kmodel, perChannel.Result.Kmodel);
    }

    [TestMethod]
    public void PerChannelPReluHalvesShareTheirChannelsScale()
    {
        // MTCNN's construct: a conv, a PRelu with one slope per channel (realised as halves and their sum), a conv.
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        string c = b.Conv("x", Weights(6, 3, 3, 3, spread: 30), [0.1f, -0.2f, 0.3f, 0, 0.05f, -0.1f], 6, 3, 3, 1, [0, 0, 0, 0]);
        string p = b.Node("PRelu", [c, b.Constant([0.25f, -0.5f, 0.1f, 0.3f, 0.02f, 0.6f], 6, 1, 1)]);
        var model = b.Build(b.Conv(p, Weights(4, 6, 1, 4), [0, 0, 0, 0], 4, 6, 1, 1, [0, 0, 0, 0]));

        var perTensor = Compile(model, ActivationRanges.PerTensor);
        var perChannel = Compile(model, ActivationRanges.PerChannel);

        Console.WriteLine($"SQNR vs float: per tensor {perTensor.SqnrDb():F1} dB, per channel {perChannel.SqnrDb():F1} dB");
        Assert.IsGreaterThanOrEqualTo(perTensor.SqnrDb() + 3, perChannel.SqnrDb());
    }

    /// <summary>conv 3→6 whose output channel o is scaled by 2^o (ranges 32 times apart, within the scale ratio's cap), then a conv
    /// (or a depthwise conv) 6→6 with weights scaled by 2^−o, so every channel matters equally at the output; then a 1×1
    /// conv to 4 outputs whose ranges are 64 times apart.</summary>
    private static ModelProto Network(bool padded, bool depthwise)
    {
        var b = new OnnxNetBuilder("x", 1, 3, Side, Side);
        int[] pads = padded ? [1, 1, 1, 1] : [0, 0, 0, 0];
        var first = Weights(6, 3, 3, 5);
        var second = depthwise ? Weights(6, 1, 3, 6) : Weights(6, 6, 1, 6);
        int per = depthwise ? 9 : 6;
        for (int o = 0; o < 6; o++)
        {
            for (int i = 0; i < 27; i++)
            {
                first[(o * 27) + i] *= MathF.Pow(2, o - 2);
            }
        }

        for (int i = 0; i < second.Length; i++)
        {
            int channel = depthwise ? i / per : i % 6;
            second[i] *= MathF.Pow(2, 2 - channel);
        }

        string c1 = b.Conv("x", first, [0, 0, 0, 0, 0, 0], 6, 3, 3, 1, pads);
        string c2 = depthwise
            ? b.Conv(c1, second, [0, 0, 0, 0, 0, 0], 6, 6, 3, 1, pads, group: 6)
            : b.Conv(c1, second, [0, 0, 0, 0, 0, 0], 6, 6, 1, 1, [0, 0, 0, 0]);
        var last = Weights(4, 6, 1, 7);
        for (int i = 0; i < last.Length; i++)
        {
            last[i] *= MathF.Pow(4, (i / 6) - 2);
        }

        return b.Build(b.Conv(c2, last, [0, 0, 0, 0], 4, 6, 1, 1, [0, 0, 0, 0]));
    }

    private static float[] Weights(int oc, int ic, int k, int seed, float spread = 1)
    {
        var random = new Random(seed);
        var w = new float[oc * ic * k * k];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)((random.NextDouble() * 2) - 1) * (i * oc / w.Length == 0 ? spread : 1) / (ic * k);
        }

        return w;
    }

    private static CompiledNet Compile(ModelProto model, ActivationRanges ranges)
    {
        var net = CompiledNet.Compile(model, Samples, new CompileOptions { ActivationRanges = ranges, Calibration = CalibrationMethod.MinMax });
        Assert.IsTrue(net.Result.Succeeded, string.Join(Environment.NewLine, net.Result.Diagnostics));
        return net;
    }
}
