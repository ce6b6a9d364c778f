using System.Text.Json;

namespace Emc.Kmodel.Tests;

/// <summary>The real kmodel files of ../shared/testdata and the curator's facts about them (index.json).</summary>
internal static class KmodelCorpus
{
    public static JsonElement Index()
    {
        string path = Emc.Tests.TestData.Path("kmodel-v3", "index.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    }

    /// <summary>Every v3 entry of index.json: (path relative to testdata, facts).</summary>
    public static IEnumerable<(string File, JsonElement Facts)> V3Files() =>
        Index().GetProperty("files").EnumerateArray()
            .Where(f => f.GetProperty("format").GetString() == "kmodel v3")
            .Select(f => (f.GetProperty("file").GetString()!, f));

    public static IEnumerable<(string File, JsonElement Facts)> NegativeFiles() =>
        Index().GetProperty("files").EnumerateArray()
            .Where(f => f.TryGetProperty("negative_case", out _))
            .Select(f => (f.GetProperty("file").GetString()!, f));

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Emc.Tests.TestData.Path(relative.Split('/')));

    public static KmodelFile Read(string relative)
    {
        var result = KmodelReader.Read(Bytes(relative), relative);
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Value!;
    }

    public const string MbnetV1 = "maix-emc-mbnetv1/mbnetv1.kmodel";
    public const string Iris = "kmodel-v3/nncase-v0.1.0-rc5/iris/iris.kmodel";
    public const string Rc5Yolo = "kmodel-v3/nncase-v0.1.0-rc5/20classes_yolo/yolo.kmodel";
    public const string Cifar = "kmodel-v3/maix-emc-cifar10/cifar10.kmodel";
    public const string Mnist = "kmodel-v3/maixpy-v1-scripts/mnist/mnist.kmodel";
    public const string Mask = "kmodel-v3/maixpy-v1-scripts/mask/mask.kmodel";
}
