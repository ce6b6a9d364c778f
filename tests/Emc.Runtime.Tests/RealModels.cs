using System.Text.Json;
using Emc.Imaging;
using Emc.Tests;

namespace Emc.Runtime.Tests;

/// <summary>The real kmodel v3 files of ../shared/testdata (index.json) plus Maix-EMC's MobileNet, and their images.</summary>
internal static class RealModels
{
    public const string MbnetV1 = "maix-emc-mbnetv1/mbnetv1.kmodel";

    /// <summary>Models small enough for the 4 MiB RAM of the emulated Cortex-M boards.</summary>
    public static readonly string[] MicrocontrollerSized =
    [
        "kmodel-v3/nncase-v0.1.0-rc5/iris/iris.kmodel",
        "kmodel-v3/maixpy-v1-scripts/mnist/mnist.kmodel",
        "kmodel-v3/maix-emc-cifar10/cifar10.kmodel",
        "kmodel-v3/maix-emc-cifar10/cifar10_output.kmodel",
    ];

    /// <summary>Every v3 file of index.json (paths relative to testdata) and the MobileNet; empty without test data.</summary>
    public static IEnumerable<string> All()
    {
        if (!TestData.IsAvailable)
        {
            return ["kmodel-v3/index.json"]; // the test then reports the missing data itself
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(TestData.Path("kmodel-v3", "index.json")));
        return index.RootElement.GetProperty("files").EnumerateArray()
            .Where(f => f.GetProperty("format").GetString() == "kmodel v3")
            .Select(f => f.GetProperty("file").GetString()!)
            .Append(MbnetV1)
            .ToList();
    }

    public static IEnumerable<object[]> AllRows() => All().Select(f => new object[] { f });

    public static IEnumerable<object[]> MicrocontrollerRows() => MicrocontrollerSized.Select(f => new object[] { f });

    public static byte[] Bytes(string relative) => File.ReadAllBytes(TestData.Path(relative.Split('/')));

    /// <summary>An image as planar RGB (R plane, G plane, B plane), as the SDK examples hold it.</summary>
    public static byte[] PlanarRgb(params string[] parts)
    {
        var image = ImageDecoder.Load(TestData.Path(parts));
        Assert.IsNotNull(image.Value, string.Join("; ", image.Diagnostics));
        RgbImage img = image.Value;
        int plane = img.Width * img.Height;
        byte[] planar = new byte[plane * 3];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                planar[(c * plane) + i] = img.Pixels[(i * 3) + c];
            }
        }

        return planar;
    }
}
