using Emc.Compiler.Compilation;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Random compositions (seeded) of conv 1×1/3×3, depthwise, stride 2 with symmetric and TF-SAME padding, max/avg
/// pools, add, concat, resize, global average pool, gemm and softmax (seeds 101…: also k×k, 1×N, dilated, grouped and
/// unequal-stride convs; seeds 301…: linear resizes ×2/×4, or stride-2 ConvTranspose; seeds 501…: large input maps; seeds 601…: row bands): each compiles, simulates, and its max abs error
/// against the float evaluator stays within the bound derived in <see cref="RandomNetwork"/>.
/// </summary>
[TestClass]
public sealed class GeneratedNetworkTests
{
    private const int Networks = 36;
    private const double MinimumSqnrDb = 25;

    public static IEnumerable<object[]> Seeds => Enumerable.Range(1, Networks).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void CompilesAndStaysWithinTheQuantizationBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(7)]
    [DataRow(11)]
    [DataRow(20)]
    public void KpuFullyConnectedStaysWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Kpu);
    }

    /// <summary>Seed 105 draws only native convs and stops at EMC0601 (norm_add overflow after a clip(0,0.5)/ReLU pair
    /// narrows the output range), a quantizer limit outside the conv decomposition.</summary>
    public static IEnumerable<object[]> ConvKernelSeeds => Enumerable.Range(101, 25).Where(s => s != 105).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(ConvKernelSeeds))]
    public void DecomposedConvKernelsStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, convKernels: true);
    }

    public static IEnumerable<object[]> LayoutSeeds => Enumerable.Range(1, 12).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(LayoutSeeds))]
    public void LayoutNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, layout: true);
    }

    /// <summary>Seed 204 stops at EMC0601 like seed 105: a clip(0,0.5) after a conv (concat → conv1x1 → clip) whose
    /// outputs are almost all negative leaves a range too narrow for norm_add — not the PRelu.</summary>
    public static IEnumerable<object[]> PReluSeeds => Enumerable.Range(201, 13).Where(s => s != 204).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(PReluSeeds))]
    public void PerChannelPReluNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, convKernels: true, perChannelPRelu: true);
    }

    /// <summary>Per-channel activation scales (issue 10) on plain and per-channel-PRelu networks: each channel's rounding
    /// step is at most the tensor's, so the per-tensor bound still holds.</summary>
    public static IEnumerable<object[]> PerChannelRangeSeeds => Enumerable.Range(1, 10).Concat([201, 202, 203, 205, 206]).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(PerChannelRangeSeeds))]
    public void PerChannelActivationRangesStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, convKernels: seed > 200, perChannelPRelu: seed > 200, ranges: ActivationRanges.PerChannel);
    }

    public static IEnumerable<object[]> LinearResizeSeeds => Enumerable.Range(301, 12).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(LinearResizeSeeds))]
    public void LinearResizeNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, linearResize: true);
    }

    /// <summary>Seed 308 stops at EMC0601 like seeds 105 and 204: a clip(0,0.5) after a ConvTranspose (moved onto its
    /// phase conv) whose outputs are almost all negative leaves a range too narrow for norm_add.</summary>
    public static IEnumerable<object[]> TransposedConvSeeds => Enumerable.Range(301, 13).Where(s => s != 308).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(TransposedConvSeeds))]
    public void TransposedConvNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, transposedConv: true);
    }

    /// <summary>CReLU after a conv and a Relu after a Concat (the layer-rewrites stage) in random networks.</summary>
    public static IEnumerable<object[]> LayerRewriteSeeds => Enumerable.Range(401, 12).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(LayerRewriteSeeds))]
    public void LayerRewriteNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, layerRewrites: true);
    }

    public static IEnumerable<object[]> DifferenceSeeds => Enumerable.Range(601, 10).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(DifferenceSeeds))]
    public void DifferenceNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, differences: true);
    }

    /// <summary>SiLU tables after convs and concats, per-channel ranges (tables split by channel groups where it pays).</summary>
    public static IEnumerable<object[]> TableSeeds => Enumerable.Range(501, 12).Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(TableSeeds))]
    public void GroupedActivationTableNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, ranges: ActivationRanges.PerChannel, tables: true);
    }

    /// <summary>Large input maps (issue 9 item 4): an odd-sided stride-2 stem over 65536 pixels and a depthwise conv whose
    /// input and output overflow KPU RAM, then the usual random steps.</summary>
    public static IEnumerable<object[]> BigMapSeeds => Enumerable.Range(501, 10).Select(s => new object[] { s });

    [TestMethod]
    [TestCategory(Emc.Tests.TestCategories.Slow)]
    [DynamicData(nameof(BigMapSeeds))]
    public void BigMapNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, bigMaps: true);
    }

    /// <summary>Row bands (conv-by-row-bands): stride-1 convs on inputs over 65536 pixels, then the usual random steps.</summary>
    public static IEnumerable<object[]> RowBandSeeds => Enumerable.Range(601, 10).Select(s => new object[] { s });

    [TestMethod]
    [TestCategory(Emc.Tests.TestCategories.Slow)]
    [DynamicData(nameof(RowBandSeeds))]
    public void RowBandNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, rowBands: true);
    }

    /// <summary>Strided row bands (strided-conv-by-row-bands): a 640×480-class input's stride-2 stem and depthwise conv,
    /// then the usual random steps.</summary>
    public static IEnumerable<object[]> StridedBandSeeds => Enumerable.Range(611, 6).Select(s => new object[] { s });

    [TestMethod]
    [TestCategory(Emc.Tests.TestCategories.Slow)]
    [DynamicData(nameof(StridedBandSeeds))]
    public void StridedRowBandNetworksStayWithinTheBound(int seed)
    {
        CheckNetwork(seed, FullyConnectedTarget.Default, stridedBands: true);
    }

    private static void CheckNetwork(int seed, FullyConnectedTarget fc, bool convKernels = false, bool layout = false, bool perChannelPRelu = false,
        bool linearResize = false, bool transposedConv = false, ActivationRanges ranges = ActivationRanges.PerTensor, bool layerRewrites = false,
        bool differences = false, bool tables = false, bool bigMaps = false, bool rowBands = false, bool stridedBands = false)
    {
        var net = new RandomNetwork(seed, convKernels, layout, perChannelPRelu, linearResize, transposedConv, layerRewrites, differences, tables, bigMaps, rowBands, stridedBands);
        var samples = CompiledNet.RandomSamples(8, 3 * net.Height * net.Width, seed);
        var compiled = CompiledNet.Compile(net.Model, samples, new CompileOptions { Calibration = CalibrationMethod.MinMax, FullyConnected = fc, ActivationRanges = ranges }, net.ModelOrder);
        Assert.IsTrue(compiled.Result.Succeeded, $"{net.Description}: {string.Join(Environment.NewLine, compiled.Result.Diagnostics)}");
        double bound = net.ErrorBound(compiled.Ranges);
        double error = compiled.MaxError();
        var layers = string.Join(",", compiled.LayerTypes);
        Console.WriteLine($"seed {seed} [{net.Height}x{net.Width}] {net.Description}: max error {error:G4} ≤ bound {bound:G4} (output max |y| {compiled.Expected.Max(e => e.Max(Math.Abs)):G4}); SQNR {compiled.SqnrDb():F1} dB; layers {layers}");
        Assert.IsLessThanOrEqualTo(bound, error, $"seed {seed}: {net.Description}; layers {layers}");

        // Not derived, a sanity floor: a misplaced pixel, slice or parameter drops the SQNR to about 0 dB.
        Assert.IsGreaterThanOrEqualTo(MinimumSqnrDb, compiled.SqnrDb(), $"seed {seed}: {net.Description}; layers {layers}");
    }
}
