using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.K210.Memory;
using Emc.Compiler.Tests.Compilation;
using Emc.Tests;

namespace Emc.Compiler.Tests.Memory;

/// <summary>
/// Our planner against nncase v0.1's allocators (<see cref="NncaseAllocatorModel"/>) fed the same buffers and
/// lifetimes: ours must need no more main memory and no more KPU RAM on every graph, and neither plan may overlap
/// live buffers (checked by <see cref="PlacementCheck"/>; ours from the addresses written into the model).
/// </summary>
[TestClass]
public sealed class PlannerVersusNncaseTests
{
    private const int RandomNetworks = 24;

    public static IEnumerable<object[]> Seeds => Enumerable.Range(1, RandomNetworks).Select(s => new object[] { s });

    [TestMethod]
    [TestCategory(TestCategories.Slow)]
    public void MobileNetV1()
    {
        string onnx = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        var dataset = Directory.GetFiles(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset"), "*.JPEG").Order(StringComparer.Ordinal).Take(4).ToList();
        var graph = OnnxImporter.Import(onnx).Value!;
        Compare("mobilenetv1-0.25", KmodelCompiler.CompileWithArtifacts(graph, new CompileOptions { Dataset = dataset, InputRange = (-1f, 1f) }));
    }

    [TestMethod]
    [DataRow("mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx")]
    [DataRow("mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx")]
    public void Mnist(string folder, string file)
    {
        var graph = OnnxImporter.Import(TestData.Path("real-onnx", folder, file)).Value!;
        var (images, _) = Compilation.Mnist.Load(8);
        string dataset = Compilation.Mnist.WriteNpy(images, 2f / 255, -1f);
        try
        {
            Compare(folder, KmodelCompiler.CompileWithArtifacts(graph, new CompileOptions { Dataset = [dataset], InputRange = (-1f, 1f) }));
        }
        finally
        {
            Directory.Delete(dataset, true);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void RandomNetwork(int seed)
    {
        CompareRandom(seed, FullyConnectedTarget.Default);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(7)]
    [DataRow(11)]
    [DataRow(20)]
    public void RandomNetworkWithKpuFullyConnected(int seed)
    {
        CompareRandom(seed, FullyConnectedTarget.Kpu);
    }

    private static void CompareRandom(int seed, FullyConnectedTarget fc)
    {
        var net = new Compilation.RandomNetwork(seed);
        var samples = CompiledNet.RandomSamples(4, 3 * net.Height * net.Width, seed);
        var artifacts = CompiledNet.CompileArtifacts(net.Model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax, FullyConnected = fc });
        Compare($"random {seed}{(fc == FullyConnectedTarget.Kpu ? " (KPU FC)" : "")}", artifacts);
    }

    /// <summary>The most any placement without in-place reuse needs: the largest sum of buffers live at one layer.</summary>
    private static long LivePeak(IReadOnlyList<BufferRequest> requests) =>
        requests.Count == 0 ? 0 : Enumerable.Range(0, requests.Max(r => r.LastLayer) + 1)
            .Max(layer => requests.Where(r => r.FirstLayer <= layer && layer <= r.LastLayer).Sum(r => r.Size));

    private static void Compare(string name, CompilationArtifacts artifacts)
    {
        Assert.IsTrue(artifacts.Result.Succeeded, $"{name}: {string.Join(Environment.NewLine, artifacts.Result.Diagnostics)}");
        var model = artifacts.Model!;
        var (ourExtent, ourKpu) = PlacementCheck.AssertModel(name + " (ours)", model);
        long ourMain = artifacts.Kmodel!.Header.MainMemUsage;
        Assert.IsLessThanOrEqualTo(ourMain, ourExtent, $"{name}: buffers end beyond main_mem_usage");

        // nncase v0.1 never writes in place: it gets every buffer the lowering defines, with the same lifetimes.
        var requests = MemoryRequests.Collect(model, inPlace: false);
        var (nncaseOffsets, nncaseMain) = NncaseAllocatorModel.PlaceMain(requests.Main);
        PlacementCheck.AssertRequests(name + " (nncase main)", requests.Main, nncaseOffsets, nncaseMain);
        var nncaseKpu = NncaseAllocatorModel.PlaceKpu(requests.Kpu);
        if (nncaseKpu is { } placed)
        {
            PlacementCheck.AssertRequests(name + " (nncase KPU)", requests.Kpu, placed.Offsets, NncaseAllocatorModel.KpuUnits);
        }

        var merged = MemoryRequests.Collect(model, inPlace: true);
        var (_, nncaseMerged) = NncaseAllocatorModel.PlaceMain(merged.Main);
        string kpuText = nncaseKpu is { } k ? k.PeakUnits.ToString(System.Globalization.CultureInfo.InvariantCulture) : "out of KPU RAM";
        Console.WriteLine($"| {name} | {model.Layers.Count} | {ourMain} | {nncaseMain} | {nncaseMerged} | {LivePeak(requests.Main)} | {ourKpu} | {kpuText} | {LivePeak(requests.Kpu)} |");
        Assert.IsLessThanOrEqualTo(nncaseMain, ourMain, $"{name}: main_mem_usage ours {ourMain} > nncase {nncaseMain}");
        if (nncaseKpu is { } n)
        {
            Assert.IsLessThanOrEqualTo(n.PeakUnits, ourKpu, $"{name}: KPU peak ours {ourKpu} > nncase {n.PeakUnits}");
        }
    }
}
