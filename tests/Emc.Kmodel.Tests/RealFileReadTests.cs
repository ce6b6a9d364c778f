using System.Text.Json;
using Emc.Diagnostics;

namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class RealFileReadTests
{
    [TestMethod]
    public void EveryV3FileReadsWithoutErrorsOrWarningsAndMatchesIndexFacts()
    {
        var files = KmodelCorpus.V3Files().ToList();
        Assert.IsGreaterThanOrEqualTo(12, files.Count, "the 12 v3 files of index.json (a floor: the loop must not run on nothing)");
        var failures = new List<string>();
        foreach (var (relative, facts) in files)
        {
            byte[] bytes = KmodelCorpus.Bytes(relative);
            var result = KmodelReader.Read(bytes, relative);
            var problems = result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info).ToList();
            if (!result.Succeeded || problems.Count > 0)
            {
                failures.Add($"{relative}:\n  " + string.Join("\n  ", result.Diagnostics));
                continue;
            }

            var model = result.Value!;
            Assert.AreEqual(facts.GetProperty("size").GetInt64(), bytes.LongLength, relative);
            Assert.AreEqual(facts.GetProperty("flags").GetUInt32(), model.Header.Flags, relative);
            Assert.AreEqual(facts.GetProperty("arch").GetUInt32(), model.Header.Arch, relative);
            Assert.AreEqual(facts.GetProperty("layers").GetInt32(), model.Layers.Count, relative);
            Assert.AreEqual(facts.GetProperty("max_start_address").GetUInt32(), model.Header.MaxStartAddress, relative);
            Assert.AreEqual(facts.GetProperty("main_mem_usage").GetUInt32(), model.Header.MainMemUsage, relative);
            Assert.AreEqual(facts.GetProperty("body_start").GetInt64(), model.BodyStart, relative);
            Assert.AreEqual(facts.GetProperty("body_start").GetInt64() + facts.GetProperty("body_total").GetInt64(), model.DeclaredLength, relative);
            var outputs = facts.GetProperty("outputs").EnumerateArray().Select(o => new KmodelOutput(o[0].GetUInt32(), o[1].GetUInt32())).ToList();
            CollectionAssert.AreEqual(outputs, model.Outputs.ToList(), relative);
            var types = facts.GetProperty("layer_types").EnumerateArray().Select(t => t.GetString()).ToList();
            CollectionAssert.AreEqual(types, model.Layers.Select(l => KmodelLayerTypes.SdkName(l.Type)).ToList(), relative);
            AssertConvShapes(relative, facts.GetProperty("k210_conv_layers"), model);
        }

        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
    }

    [TestMethod]
    public void Rc5FilesReportOnlyTheMissingLastPaddingAsInfo()
    {
        foreach (string relative in new[] { KmodelCorpus.Iris, KmodelCorpus.Rc5Yolo })
        {
            var result = KmodelReader.Read(KmodelCorpus.Bytes(relative), relative);
            Assert.IsTrue(result.Succeeded);
            var only = result.Diagnostics.Single();
            Assert.AreEqual(KmodelDiagnostics.LastBodyPaddingMissing.Code, only.Code);
            Assert.AreEqual(DiagnosticSeverity.Info, only.Severity);
        }
    }

    [TestMethod]
    public void IrisLayersMatchSpecAppendixA()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.Iris);
        Assert.AreEqual(32768u, model.Header.MaxStartAddress);
        var fc0 = (FullyConnectedBody)model.Layers[0].Body;
        var fc1 = (FullyConnectedBody)model.Layers[1].Body;
        Assert.AreEqual(228u, model.Layers[0].BodySize);
        Assert.AreEqual(160u, model.Layers[1].BodySize);
        Assert.AreEqual((4u, 10u, 1u, 0u, 16u), (fc0.InChannels, fc0.OutChannels, fc0.Activation, fc0.In, fc0.Out));
        Assert.AreEqual((10u, 3u, 0u, 16u, 0u), (fc1.InChannels, fc1.OutChannels, fc1.Activation, fc1.In, fc1.Out));
        Assert.AreEqual(40, fc0.Weights.Length);
        Assert.AreEqual(3, fc1.Bias.Length);
    }

    [TestMethod]
    public void Rc5YoloConvTableMatchesSpecAppendixA()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.Rc5Yolo);
        // (body size, occ, loads, src, dst) per row of spec Appendix A "yolo (rc5)".
        (uint Body, int Occ, int Loads, uint Src, uint Dst)[] rows =
        [
            (996, 16, 1, 29168, 0), (768, 16, 1, 0, 27008), (1280, 32, 1, 27008, 0), (1024, 32, 1, 0, 28928),
            (3072, 64, 1, 28928, 0), (1536, 64, 1, 0, 30848), (9728, 128, 1, 30848, 0), (2560, 128, 1, 0, 31808),
            (35328, 240, 2, 31808, 0), (4864, 256, 1, 0, 32320), (135680, 120, 5, 32320, 0), (9216, 512, 1, 0, 31872),
            (532992, 60, 18, 31872, 0), (17920, 1024, 1, 0, 30976), (528896, 30, 18, 30976, 0), (65536, 60, 3, 0, 32544),
        ];
        for (int i = 0; i < rows.Length; i++)
        {
            var conv = (K210ConvBody)model.Layers[i].Body;
            var r = conv.Registers;
            Assert.AreEqual(rows[i], (model.Layers[i].BodySize, r.OutChannelsPerLoad, r.Loads, r.ImageSrcAddr, r.ImageDstAddr), $"layer {i}");
            Assert.AreEqual(i == 15, conv.MainMemOut, $"layer {i} flags");
        }

        Assert.IsTrue(((K210ConvBody)model.Layers[1].Body).Registers.DepthWiseLayer);
        Assert.AreEqual(9u, ((K210ConvBody)model.Layers[10].Body).Registers.PoolType);
        var dequant = (ChannelwiseDequantizeBody)model.Layers[16].Body;
        Assert.AreEqual((125u, 70u, 0u, 8752u), (dequant.Channels, dequant.ChannelSize, dequant.In, dequant.Out));
        Assert.AreEqual(1024u, model.Layers[16].BodySize);
    }

    [TestMethod]
    public void CifarLayersMatchSpecAppendixA()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.Cifar);
        var conv0 = (K210ConvBody)model.Layers[0].Body;
        Assert.AreEqual((3, 32, 32, 32, 32, 32, 3), (conv0.Registers.InChannels, conv0.Registers.InHeight, conv0.Registers.InWidth,
            conv0.Registers.OutChannels, conv0.Registers.OutHeight, conv0.Registers.OutWidth, conv0.Registers.KernelSize));
        Assert.AreEqual((0u, 32256u, true, 0u), (conv0.Registers.ImageSrcAddr, conv0.Registers.ImageDstAddr, conv0.MainMemOut, conv0.MainMemOutAddress));
        var pool = (QuantizedMaxPool2DBody)model.Layers[1].Body;
        Assert.AreEqual(new PoolWindow(32, 32, 32, 16, 16, 32, 3, 3, 2, 2, 0, 0), pool.Window);
        Assert.AreEqual((0u, 32768u), (pool.In, pool.Out));
        var upload = (K210UploadBody)model.Layers[2].Body;
        Assert.AreEqual((32768u, 0u, 16u, 16u, 32u), (upload.MainMemIn, upload.KpuMemOut, upload.Width, upload.Height, upload.Channels));
        var flatten = (TensorflowFlattenBody)model.Layers[5].Body;
        Assert.AreEqual(KmodelLayerType.QuantizedTensorflowFlatten, flatten.Type);
        Assert.AreEqual((36864u, 0u), (flatten.In, flatten.Out));
        var dequant = (DequantizeBody)model.Layers[6].Body;
        Assert.AreEqual((0u, 24576u, 4096u, 0f), (dequant.In, dequant.Out, dequant.Count, dequant.Bias));
        Assert.AreEqual(0.00937874f, dequant.Scale, 1e-8f);
        var fc = (FullyConnectedBody)model.Layers[7].Body;
        Assert.AreEqual((24576u, 0u, 4096u, 16u, 1u, 262232u), (fc.In, fc.Out, fc.InChannels, fc.OutChannels, fc.Activation, model.Layers[7].BodySize));
    }

    [TestMethod]
    public void MbnetV1MatchesSpecAppendixA()
    {
        var model = KmodelCorpus.Read(KmodelCorpus.MbnetV1);
        Assert.AreEqual(36, model.Layers.Count);
        var conv31 = (K210ConvBody)model.Layers[31].Body;
        var r = conv31.Registers;
        Assert.AreEqual((768, 4, 4, 1000, 4, 4, 1), (r.InChannels, r.InHeight, r.InWidth, r.OutChannels, r.OutHeight, r.OutWidth, r.KernelSize));
        Assert.AreEqual((83, 13, 0u, 31768u), (r.OutChannelsPerLoad, r.Loads, r.ImageSrcAddr, r.ImageDstAddr));
        Assert.AreEqual((true, 586112u, 776364u), (conv31.MainMemOut, conv31.MainMemOutAddress, model.Layers[31].BodySize));
        Assert.AreEqual(768 * 1000, conv31.Weights.Length);
        Assert.AreEqual(1000, conv31.BatchNorm.Length);

        int[] pool5 = [0, 4, 8, 12, 24];
        int[] depthwise = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25];
        for (int i = 0; i <= 26; i++)
        {
            var conv = (K210ConvBody)model.Layers[i].Body;
            Assert.AreEqual(pool5.Contains(i) ? 5u : 0u, conv.Registers.PoolType, $"layer {i} pool");
            Assert.AreEqual(depthwise.Contains(i), conv.Registers.DepthWiseLayer, $"layer {i} depthwise");
        }

        var conv26 = ((K210ConvBody)model.Layers[26].Body).Registers;
        Assert.AreEqual((85, 10), (conv26.OutChannelsPerLoad, conv26.Loads));
        var gap = (GlobalAveragePool2DBody)model.Layers[28].Body;
        Assert.AreEqual((49u, 768u, 451584u, 0u), (gap.KernelSize, gap.Channels, gap.In, gap.Out));
        var quantize = (QuantizeBody)model.Layers[29].Body;
        Assert.AreEqual((0u, 601344u, 768u), (quantize.In, quantize.Out, quantize.Count));
        Assert.AreEqual(0.0212437f, quantize.Scale, 1e-7f);
        var pad = (K210AddPaddingBody)model.Layers[30].Body;
        Assert.AreEqual((768u, 601344u, 0u), (pad.Channels, pad.MainMemIn, pad.KpuMemOut));
        var remove = (K210RemovePaddingBody)model.Layers[32].Body;
        Assert.AreEqual((1000u, 586112u, 0u), (remove.Channels, remove.MainMemIn, remove.MainMemOut));
        var dequant = (DequantizeBody)model.Layers[34].Body;
        Assert.AreEqual(0.130562f, dequant.Scale, 1e-6f);
        Assert.AreEqual(-11.5543f, dequant.Bias, 1e-4f);
        var softmax = (SoftmaxBody)model.Layers[35].Body;
        Assert.AreEqual((1000u, 0u, 598112u), (softmax.Channels, softmax.In, softmax.Out));
    }

    private static void AssertConvShapes(string relative, JsonElement convFacts, KmodelFile model)
    {
        var convs = model.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.AreEqual(convFacts.GetArrayLength(), convs.Count, relative);
        int i = 0;
        foreach (var fact in convFacts.EnumerateArray())
        {
            var r = convs[i].Registers;
            int[] inWhc = fact.GetProperty("in_whc").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            int[] outWhc = fact.GetProperty("out_whc").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            CollectionAssert.AreEqual(inWhc, new[] { r.InWidth, r.InHeight, r.InChannels }, $"{relative} conv {i} input");
            CollectionAssert.AreEqual(outWhc, new[] { r.OutWidth, r.OutHeight, r.OutChannels }, $"{relative} conv {i} output");
            Assert.AreEqual(fact.GetProperty("kernel_type").GetUInt32(), r.KernelType, $"{relative} conv {i} kernel");
            Assert.AreEqual(fact.GetProperty("pool_type").GetUInt32(), r.PoolType, $"{relative} conv {i} pool");
            i++;
        }
    }
}
