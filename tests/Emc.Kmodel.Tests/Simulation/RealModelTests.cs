using System.Text.Json;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>End-to-end runs of real kmodel files; expected values come from upstream READMEs and examples (spec A.3).</summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class RealModelTests
{
    private const string Root = "kmodel-v3";

    [TestMethod]
    public void IrisMatchesTheOnDeviceOutputInTheNncaseReadme()
    {
        string dir = TestData.Path(Root, "nncase-v0.1.0-rc5", "iris");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")));
        float[] input = expected.RootElement.GetProperty("input").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] want = expected.RootElement.GetProperty("expected_output").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();

        var sim = SimulationTestFiles.Simulator(SimulationTestFiles.Model(Root, "nncase-v0.1.0-rc5", "iris", "iris.kmodel"));
        Assert.AreEqual(SimulatorInputKind.FloatVector, sim.InputKind);
        float[] got = SimulationTestFiles.Floats(sim.Run(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan())));

        Assert.HasCount(3, got);
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(want[i], got[i], Math.Abs(want[i]) * 1e-5, $"output {i}");
        }
    }

    [TestMethod]
    [DataRow("nncase-v0.1.0-rc5/20classes_yolo/yolo.kmodel")]
    [DataRow("kendryte-standalone-demo/kpu_20classes/yolo.kmodel")]
    public void YoloFindsBicycleCarAndDogInDogBmp(string model)
    {
        var sim = SimulationTestFiles.Simulator(SimulationTestFiles.Model([Root, .. model.Split('/')]));
        byte[] image = SimulationTestFiles.PlanarRgb(Root, "nncase-v0.1.0-rc5", "20classes_yolo", "dog.bmp");
        var found = YoloRegionDecoder.Decode(SimulationTestFiles.Floats(sim.Run(image)));
        AssertDogScene(found);
    }

    [TestMethod]
    public void RoundingModesDifferOnRc5YoloButDetectTheSameObjects()
    {
        KmodelFile model = SimulationTestFiles.Model(Root, "nncase-v0.1.0-rc5", "20classes_yolo", "yolo.kmodel");
        byte[] image = SimulationTestFiles.PlanarRgb(Root, "nncase-v0.1.0-rc5", "20classes_yolo", "dog.bmp");
        float[] sdk = SimulationTestFiles.Floats(SimulationTestFiles.Simulator(model).Run(image));
        float[] even = SimulationTestFiles.Floats(SimulationTestFiles.Simulator(model, new SimulatorOptions { Rounding = ActivationRounding.HalfEven }).Run(image));

        int differing = sdk.Zip(even).Count(p => p.First != p.Second);
        float maxDelta = sdk.Zip(even).Max(p => Math.Abs(p.First - p.Second));
        // Spec A.3 (an independent simulator): 6 523 of 8 750 values differ, max |Δ| 0.50.
        Assert.AreEqual(8750, sdk.Length);
        Assert.AreEqual(6523, differing, "values that differ between the rounding modes");
        Assert.IsTrue(maxDelta is > 0.2f and <= 0.51f, $"max |Δ| {maxDelta}");
        AssertDogScene(YoloRegionDecoder.Decode(even));
        Console.WriteLine($"rounding modes: {differing} of {sdk.Length} differ, max |Δ| {maxDelta}");
    }

    [TestMethod]
    [DataRow("maix-emc-mbnetv1/mbnetv1.kmodel", 0.91)]
    [DataRow("kmodel-v3/labplus-k210-sipeed/mbnet75.kmodel", 0.88)]
    public void MobileNetClassifiesTiger(string model, double probability)
    {
        var sim = SimulationTestFiles.Simulator(SimulationTestFiles.Model(model.Split('/')));
        byte[] image = SimulationTestFiles.PlanarRgb("maix-emc-mbnetv1", "mbnetv1_dataset", "tiger224.bmp");
        float[] p = SimulationTestFiles.Floats(sim.Run(image));
        Assert.HasCount(1000, p);
        int top = Array.IndexOf(p, p.Max());
        Assert.AreEqual(292, top, "ImageNet class 292 = tiger");
        Assert.AreEqual(probability, p[top], 0.02);
    }

    [TestMethod]
    public void EveryV3FileRunsToCompletionWithFiniteOutputs()
    {
        string root = TestData.Path(Root);
        var files = Directory.GetFiles(root, "*.kmodel", SearchOption.AllDirectories)
            .Where(f => !f.Contains("negative-not-v3", StringComparison.Ordinal))
            .Append(TestData.Path("maix-emc-mbnetv1", "mbnetv1.kmodel"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.IsGreaterThanOrEqualTo(12, files.Count);
        foreach (string file in files)
        {
            var sim = SimulationTestFiles.Simulator(SimulationTestFiles.Model(file));
            byte[] input = new byte[sim.InputBytes];
            if (sim.InputKind == SimulatorInputKind.FloatVector)
            {
                var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(input.AsSpan());
                for (int i = 0; i < floats.Length; i++)
                {
                    floats[i] = (i % 7) * 0.5f;
                }
            }
            else
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = (byte)((i * 31) ^ (i >> 8));
                }
            }

            var result = sim.Run(input);
            Assert.IsNotEmpty(result.Outputs, file);
            foreach (var output in result.Outputs)
            {
                float[]? values = output.AsFloat32();
                if (values is not null)
                {
                    Assert.IsTrue(values.All(float.IsFinite), $"{file}: non-finite output");
                }
            }

            // Deterministic: a second run on the same simulator gives the same bytes.
            CollectionAssert.AreEqual(result.Outputs[0].Bytes, sim.Run(input).Outputs[0].Bytes, file);
        }
    }

    private static void AssertDogScene(List<YoloRegionDecoder.Detection> found)
    {
        string all = string.Join(", ", found.Select(d => $"{d.Label} {d.Score:F2} @({d.CenterX:F0},{d.CenterY:F0})"));
        Console.WriteLine(all);
        var bicycle = found.SingleOrDefault(d => d.Label == "bicycle");
        var car = found.SingleOrDefault(d => d.Label == "car");
        var dog = found.SingleOrDefault(d => d.Label == "dog");
        Assert.IsNotNull(bicycle, all);
        Assert.IsNotNull(car, all);
        Assert.IsNotNull(dog, all);
        Assert.HasCount(3, found, all);

        // 320×240: bicycle in the middle, car top right, dog bottom left.
        Assert.IsTrue(bicycle.CenterX is > 100 and < 220 && bicycle.CenterY is > 70 and < 170, all);
        Assert.IsTrue(car.CenterX > 200 && car.CenterY < 100, all);
        Assert.IsTrue(dog.CenterX < 160 && dog.CenterY > 120, all);
    }
}
