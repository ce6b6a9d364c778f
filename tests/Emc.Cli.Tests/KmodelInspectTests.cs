using System.Text.Json;
using Emc.Cli.Commands;
using Emc.Cli.Inspect;

namespace Emc.Cli.Tests;

[TestClass]
public sealed class KmodelInspectTests
{
    private static string MbnetV1 => Emc.Tests.TestData.Path("maix-emc-mbnetv1", "mbnetv1.kmodel");

    [TestMethod]
    public void JsonDescribesMbnetV1Layer31AsInSpecAppendixA()
    {
        var stdout = new StringWriter();
        Assert.AreEqual(0, InspectCommand.Run(new FileInfo(MbnetV1), json: true, stdout));
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.AreEqual(602112, root.GetProperty("header").GetProperty("main_mem_usage").GetInt32());
        Assert.AreEqual(36, root.GetProperty("layers").GetArrayLength());
        var output = root.GetProperty("outputs")[0];
        Assert.AreEqual((598112, 4000), (output.GetProperty("address").GetInt32(), output.GetProperty("size").GetInt32()));

        var conv = root.GetProperty("layers")[31];
        Assert.AreEqual("K210_CONV", conv.GetProperty("type").GetString());
        CollectionAssert.AreEqual(new[] { 768, 4, 4 }, Ints(conv.GetProperty("input")));
        CollectionAssert.AreEqual(new[] { 1000, 4, 4 }, Ints(conv.GetProperty("output")));
        Assert.AreEqual(13, conv.GetProperty("loads").GetInt32());
        Assert.AreEqual(83, conv.GetProperty("out_channels_per_load").GetInt32());
        Assert.AreEqual(1, conv.GetProperty("kernel").GetInt32());
        Assert.AreEqual(586112, conv.GetProperty("main_mem_out_address").GetInt32());
        Assert.AreEqual(776364, conv.GetProperty("body_size").GetInt32());

        var dequantize = root.GetProperty("layers")[34];
        Assert.AreEqual("DEQUANTIZE", dequantize.GetProperty("type").GetString());
        Assert.AreEqual(-11.5543, dequantize.GetProperty("bias").GetDouble(), 1e-4);

        var totals = root.GetProperty("totals");
        Assert.AreEqual((28, 8), (totals.GetProperty("kpu_layers").GetInt32(), totals.GetProperty("cpu_layers").GetInt32()));
    }

    [TestMethod]
    public void JsonPropertyOrderIsStable()
    {
        var first = new StringWriter();
        var second = new StringWriter();
        InspectCommand.Run(new FileInfo(MbnetV1), json: true, first);
        InspectCommand.Run(new FileInfo(MbnetV1), json: true, second);
        Assert.AreEqual(first.ToString(), second.ToString());
        using var doc = JsonDocument.Parse(first.ToString());
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "file", "format", "header", "input", "outputs", "layers", "totals" }, names);
        var layerKeys = doc.RootElement.GetProperty("layers")[0].EnumerateObject().Select(p => p.Name).Take(4).ToArray();
        CollectionAssert.AreEqual(new[] { "index", "type", "type_code", "offset" }, layerKeys);
    }

    [TestMethod]
    public void TextListsEveryLayerAndTotals()
    {
        var stdout = new StringWriter();
        Assert.AreEqual(0, KmodelInspector.Run(MbnetV1, json: false, stdout, new StringWriter()));
        string text = stdout.ToString();
        StringAssert.Contains(text, "31 K210_CONV");
        StringAssert.Contains(text, "input 768×4×4, output 1000×4×4, kernel 1");
        StringAssert.Contains(text, "loads 13");
        StringAssert.Contains(text, "write image_dst_addr: kpu [31768, 32768) units");
        StringAssert.Contains(text, "35 SOFTMAX");
        StringAssert.Contains(text, "totals: weight_bytes");
    }

    [TestMethod]
    public void NonV3FileReportsInMsBuildFormatAndExitsOne()
    {
        string path = Emc.Tests.TestData.Path("kmodel-v3", "negative-not-v3", "iris_kmodel_v4_nncase-v0.2.0-alpha1.kmodel");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.AreEqual(1, KmodelInspector.Run(path, json: false, stdout, stderr));
        Assert.AreEqual(string.Empty, stdout.ToString());
        StringAssert.StartsWith(stderr.ToString(), $"{path}: error EMC0300: not kmodel v3");
        StringAssert.Contains(stderr.ToString(), "kmodel v4");
    }

    [TestMethod]
    public void Rc5IrisInspectsWithAnInfoOnly()
    {
        string path = Emc.Tests.TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel");
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        Assert.AreEqual(0, KmodelInspector.Run(path, json: false, stdout, stderr));
        StringAssert.Contains(stderr.ToString(), "info EMC0316");
        StringAssert.Contains(stdout.ToString(), "FULLY_CONNECTED");
        StringAssert.Contains(stdout.ToString(), "in_channels 4, out_channels 10, activation relu");
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
