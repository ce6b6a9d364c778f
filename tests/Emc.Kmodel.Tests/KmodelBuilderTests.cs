namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class KmodelBuilderTests
{
    [TestMethod]
    public void ConvLayoutUsesTheCanonicalAlignments()
    {
        // Body at 52 (≡ 4 mod 8): registers at 80, weights at 256, BN after 27 weight bytes at 384, act at 512.
        var layout = KmodelBuilder.ConvLayout(52, 27, 3);
        Assert.AreEqual(new K210ConvLayout(80 - 52, 256 - 52, 384 - 52, 512 - 52), layout);
    }

    [TestMethod]
    public void SmallSyntheticModelReadsBackWithNoDiagnostics()
    {
        var conv = SyntheticConv();
        // conv → 32 bytes at 0 → DEQUANTIZE → 32 floats at 32 → SOFTMAX → 32 floats at 160.
        var header = new KmodelHeader(3, 1, 0, 0, 288);
        var bodies = new LayerBody[]
        {
            conv,
            new DequantizeBody(0, 32, 4 * 4 * 2, 0.5f, -1f),
            new SoftmaxBody(32, 160, 32),
        };
        var file = KmodelBuilder.Build(header, [new KmodelOutput(160, 128)], bodies);

        long start = file.BodyStart;
        Assert.AreEqual(28 + 8 + (3 * 8), start);
        for (int i = 0; i < file.Layers.Count; i++)
        {
            Assert.AreEqual(0, file.BodyOffset(i + 1) % 8, $"body {i + 1} starts 8-aligned");
        }

        var layout = ((K210ConvBody)file.Layers[0].Body).Layout;
        Assert.AreEqual(0, (start + layout.RegistersOffset) % 8);
        Assert.AreEqual(0, (start + layout.WeightsOffset) % 128);
        Assert.AreEqual(0, (start + layout.BatchNormOffset) % 128);
        Assert.AreEqual(0, (start + layout.ActivationOffset) % 256);
        Assert.AreEqual(layout.ActivationOffset + 144u, file.Layers[0].BodySize);
        Assert.AreEqual(24u, file.Layers[1].BodySize);
        Assert.AreEqual(16u, file.Layers[2].BodySize);

        byte[] bytes = KmodelWriter.Write(file);
        Assert.AreEqual(file.DeclaredLength, bytes.Length);
        var back = KmodelReader.Read(bytes);
        Assert.AreEqual(0, back.Diagnostics.Count, string.Join("\n", back.Diagnostics));
        var conv2 = (K210ConvBody)back.Value!.Layers[0].Body;
        Assert.AreEqual(conv.Registers, conv2.Registers);
        CollectionAssert.AreEqual(conv.Weights, conv2.Weights);
        CollectionAssert.AreEqual(conv.BatchNorm, conv2.BatchNorm);
        Assert.AreEqual(conv.Activation, conv2.Activation);
        Assert.IsTrue(bytes.AsSpan().SequenceEqual(KmodelWriter.Write(back.Value)), "deterministic");
    }

    [TestMethod]
    public void BuilderReproducesNncaseLayoutOfTheRc5Files()
    {
        // nncase v0.1 lays bodies out the canonical way (spec §1.4, A.2), so rebuilding from the bodies
        // alone must give the original bytes (plus the padding nncase forgot).
        foreach (string relative in new[] { KmodelCorpus.Iris, KmodelCorpus.Rc5Yolo })
        {
            var model = KmodelCorpus.Read(relative);
            var rebuilt = KmodelBuilder.Build(model.Header, model.Outputs, model.Layers.Select(l => l.Body).ToList());
            CollectionAssert.AreEqual(model.Layers.Select(l => l.BodySize).ToList(), rebuilt.Layers.Select(l => l.BodySize).ToList(), relative);

            // Compared with the file's own bytes (not with the writer's rendering of the read model).
            byte[] original = KmodelCorpus.Bytes(relative);
            byte[] written = KmodelWriter.Write(rebuilt);
            Assert.IsGreaterThanOrEqualTo(original.Length, written.Length, relative);
            Assert.IsTrue(written.AsSpan(0, original.Length).SequenceEqual(original), $"{relative}: rebuilt bytes differ from the file");
            Assert.IsFalse(written.AsSpan(original.Length).ContainsAnyExcept((byte)0), $"{relative}: the added padding is not zero");
        }
    }

    [TestMethod]
    public void WriterRejectsABodyLargerThanItsDeclaredSize()
    {
        var header = new KmodelHeader(3, 1, 0, 0, 64);
        var file = new KmodelFile(header, [new KmodelOutput(0, 4)], [new KmodelLayer(new SoftmaxBody(0, 0, 1), 12)]);
        Assert.ThrowsExactly<ArgumentException>(() => KmodelWriter.Write(file));
    }

    /// <summary>A 2×4×4 → 2×4×4 1×1 conv with main-memory output at 0, registers derived per spec §5.7.</summary>
    internal static K210ConvBody SyntheticConv()
    {
        var r = default(KpuLayerArgument);
        r.InWidth = 4;
        r.InHeight = 4;
        r.InChannels = 2;
        r.OutWidth = 4;
        r.OutHeight = 4;
        r.OutChannels = 2;
        r.OutChannelsPerLoad = 2;
        r.KernelType = 0;
        r.LoadPara = true;
        r.DmaBurstSize = 15;
        r.LoadCoor = true;
        r.ParaSize = 4;
        r.ChannelSwitchAddr = 4;
        r.RowSwitchAddr = 1;
        r.CoefGroup = 4;
        r.LoadAct = true;
        r.WbChannelSwitchAddr = 4;
        r.WbRowSwitchAddr = 1;
        r.WbGroup = 4;
        r.ImageSrcAddr = 0;
        r.ImageDstAddr = 32764;
        r.ArgX = -3 << 10;
        r.ShrX = 10;
        r.ArgAdd = 1234;
        r.ChannelByteNum = 15;
        r.DmaTotalByte = 31;
        var segments = new KpuActivationSegment[16];
        segments[0] = new KpuActivationSegment(KpuActivationSegment.MinXStart, 0, 0, 0);
        for (int s = 1; s < 16; s++)
        {
            segments[s] = new KpuActivationSegment(s * 100, 1024, 10, (byte)s);
        }

        return new K210ConvBody(
            K210ConvBody.MainMemOutFlag, 0, r, [1, 2, 3, 4], [new(1, -5, 3), new(-7, 9, 15)], new KpuActivationTable(segments), default);
    }
}
