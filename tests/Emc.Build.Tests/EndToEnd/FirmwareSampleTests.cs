using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Emc.Build.Tests.Support;
using Emc.Imaging;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// `bash build/build-sample.sh Firmware`: packs Emc.Sdk, builds samples/Firmware with host gcc and the package's C
/// runtime, and runs it on models/calib/img0.bmp. The printed scores (float bits) must equal the C# simulator's
/// outputs for the same kmodel on the same image bytes (decoded here by Emc.Imaging, not by the sample's reader).
/// </summary>
[TestClass]
[TestCategory(TestCategories.EndToEnd)]
public sealed partial class FirmwareSampleTests
{
    [TestMethod]
    public void FirmwareSamplePrintsTheSimulatorsScoresExactly()
    {
        RequiredTool.Require("gcc");
        RequiredTool.Require("bash");
        string repo = TestData.RepositoryRoot;
        var build = ProcessRunner.Run("bash", [Path.Combine(repo, "build", "build-sample.sh"), "Firmware"], repo, DotnetEnvironment.Base());
        Assert.AreEqual(0, build.ExitCode, build.ToString());

        var printed = ScoreLine().Matches(build.Output)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                m => uint.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.IsNotEmpty(printed, build.ToString());

        string kmodelPath = Directory.GetFiles(Path.Combine(repo, "samples", "Firmware", "obj"), "shapes.kmodel", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        var simulator = KmodelSimulator.Create(KmodelReader.Read(File.ReadAllBytes(kmodelPath)).Value!).Value!;
        var image = ImageDecoder.Load(Path.Combine(repo, "samples", "models", "calib", "img0.bmp")).Value!;
        var (channels, height, width) = simulator.InputShape;
        Assert.AreEqual(3, channels);
        byte[] input = ImagePreprocessor.ToChwBytes(image, width, height).Value!;
        byte[] expected = simulator.Run(input).Outputs.SelectMany(o => o.Bytes).ToArray();

        Assert.HasCount(expected.Length / 4, printed, build.ToString());
        for (int i = 0; i < printed.Count; i++)
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(expected.AsSpan(4 * i));
            Assert.AreEqual(bits, printed[i], $"score[{i}]: simulator {BitConverter.UInt32BitsToSingle(bits)}, firmware {BitConverter.UInt32BitsToSingle(printed[i])}");
        }

        StringAssert.Contains(build.Output, "class ", build.ToString());
    }

    [GeneratedRegex(@"score\[(\d+)\] = \S+ \(0x([0-9a-f]{8})\)")]
    private static partial Regex ScoreLine();
}
