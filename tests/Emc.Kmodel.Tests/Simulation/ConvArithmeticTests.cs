using Emc.Kmodel.Simulation;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>K210_CONV arithmetic (spec §6) on tiny layers with hand-computed results.</summary>
[TestClass]
public sealed class ConvArithmeticTests
{
    private static readonly KpuBatchNorm Unit = new(1, 0, 0);

    [TestMethod]
    public void Taps3x3OutsideTheImageReadPadValue()
    {
        // 4×4 of ones, weights all 1, pad_value 10: corner 4·1 + 5·10, edge 6·1 + 3·10, interior 9.
        var model = SyntheticConv.Model(1, 4, 4, 1, 3, Enumerable.Repeat((byte)1, 9).ToArray(), Unit, SyntheticConv.Identity(), padValue: 10);
        byte[] output = SyntheticConv.Run(model, Enumerable.Repeat((byte)1, 16).ToArray());
        CollectionAssert.AreEqual(new byte[] { 54, 36, 36, 54, 36, 9, 9, 36, 36, 9, 9, 36, 54, 36, 36, 54 }, output);
    }

    [TestMethod]
    public void ArgumentTermsAndBatchNormUseFloorShifts()
    {
        // 1×1, weight 5, x = 1: P = 5, (arg_x·SX) >> 1 = floor(−3/2) = −2, arg_add·G = −10 → ACC = −7.
        // BN: (−7·3) >> 1 = floor(−10.5) = −11. Activation from −20: −11 + 20 = 9.
        var model = SyntheticConv.Model(1, 4, 4, 1, 1, [5], new KpuBatchNorm(3, 0, 1), SyntheticConv.Identity(-20), argX: -3, shrX: 1, argAdd: -10);
        byte[] output = SyntheticConv.Run(model, Enumerable.Repeat((byte)1, 16).ToArray());
        Assert.IsTrue(output.All(v => v == 9), string.Join(",", output));

        // arg_w multiplies the sum of weights: SW = 5, (7·5) >> 2 = 8 → ACC = 5 + 8 = 13, BN 13 (mul 1) → 13 − 0.
        var withW = SyntheticConv.Model(1, 4, 4, 1, 1, [5], Unit, SyntheticConv.Identity(), argW: 7, shrW: 2);
        Assert.IsTrue(SyntheticConv.Run(withW, Enumerable.Repeat((byte)1, 16).ToArray()).All(v => v == 13));
    }

    [TestMethod]
    public void ArgAddCountsEveryInputChannelOfARegularConv()
    {
        // 3 channels of x = 2, weights 1: P = 6, SX·0, arg_add·3 = 30 → 36.
        var model = SyntheticConv.Model(3, 4, 4, 1, 1, [1, 1, 1], Unit, SyntheticConv.Identity(), argAdd: 10);
        Assert.IsTrue(SyntheticConv.Run(model, Enumerable.Repeat((byte)2, 48).ToArray()).All(v => v == 36));
    }

    [TestMethod]
    public void ActivationSegmentBoundaryAndExactHalvesFollowTheRoundingMode()
    {
        // Segment 1 starts at T = 6 with y_mul 1, shift 2 (÷4), bias 100; segment 0 gives 0 below.
        var segments = SyntheticConv.Identity().Segments.ToArray();
        segments[1] = new KpuActivationSegment(6, 1, 2, 100);
        var table = new KpuActivationTable(segments);
        // Identity conv (1×1, weight 1): T = x.
        var model = SyntheticConv.Model(1, 4, 4, 1, 1, [1], Unit, table);
        byte[] input = [5, 6, 7, 8, 12, 16, 20, 6, 6, 6, 6, 6, 6, 6, 6, 6];

        // SDK: x_start ≤ T, round half up: T=6 → seg 1, 0/4 → 100; 8 → 2/4 = 0.5 → 1 → 101; 12 → 6/4 = 1.5 → 2;
        // 16 → 10/4 = 2.5 → 3; 20 → 14/4 = 3.5 → 4; 7 → 1/4 → 0.
        byte[] sdk = SyntheticConv.Run(model, input, ActivationRounding.SdkHalfUp);
        CollectionAssert.AreEqual(new byte[] { 0, 100, 100, 101, 102, 103, 104, 100 }, sdk.Take(8).ToArray());

        // Half-even: x_start < T, so T = 6 falls to segment 0 (→ 0); 0.5 → 0, 1.5 → 2, 2.5 → 2, 3.5 → 4.
        byte[] even = SyntheticConv.Run(model, input, ActivationRounding.HalfEven);
        CollectionAssert.AreEqual(new byte[] { 0, 0, 100, 100, 102, 102, 104, 0 }, even.Take(8).ToArray());
    }

    [TestMethod]
    public void OutputSaturatesToUint8()
    {
        var model = SyntheticConv.Model(1, 4, 4, 1, 1, [200], Unit, SyntheticConv.Identity());
        Assert.IsTrue(SyntheticConv.Run(model, Enumerable.Repeat((byte)3, 16).ToArray()).All(v => v == 255));
    }

    [TestMethod]
    public void DepthwiseUsesOnlyItsOwnChannel()
    {
        // 2 channels (x = 1 and x = 2), 3×3 weights 1 and 2, pad 0: interior = 9·1·1 and 9·2·2.
        byte[] weights = [.. Enumerable.Repeat((byte)1, 9), .. Enumerable.Repeat((byte)2, 9)];
        var model = SyntheticConv.Model(2, 4, 4, 2, 3, weights, Unit, SyntheticConv.Identity(), depthwise: true);
        byte[] input = [.. Enumerable.Repeat((byte)1, 16), .. Enumerable.Repeat((byte)2, 16)];
        byte[] output = SyntheticConv.Run(model, input);
        Assert.AreEqual(9, output[5]);
        Assert.AreEqual(36, output[16 + 5]);
        Assert.AreEqual(4, output[0]);       // corner: 4 taps inside
        Assert.AreEqual(16, output[16]);
    }

    [TestMethod]
    public void FastPathsEqualTheInt64ReferenceOnRandomLayers()
    {
        var random = new Random(1234);
        foreach ((int ic, int oc, int k, int pool, bool dw, int w, int h) in new[]
        {
            (5, 7, 3, 0, false, 13, 9), (3, 16, 3, 5, false, 20, 10), (17, 6, 1, 1, false, 40, 8),
            (4, 4, 3, 0, true, 33, 5), (8, 8, 3, 0, true, 70, 6), (9, 5, 1, 9, false, 16, 16), (2, 3, 3, 2, false, 8, 8),
        })
        {
            int per = dw ? k * k : ic * k * k;
            byte[] weights = new byte[per * oc];
            random.NextBytes(weights);
            // nncase-style terms (spec §7.4): ACC = Σ (w − zw)(x − zx), pad_value = zx.
            int zw = random.Next(100, 150), zx = random.Next(100, 150);
            var bn = new KpuBatchNorm(random.Next(1, 4096), random.Next(-1000, 1000), 12);
            var segments = SyntheticConv.Identity().Segments.ToArray();
            segments[1] = new KpuActivationSegment(-(1 << 14), 1, 7, 0);
            var model = SyntheticConv.Model(ic, h, w, oc, k, weights, bn, new KpuActivationTable(segments),
                padValue: (byte)zx, argX: -zw << 15, shrX: 15, argW: -zx << 15, shrW: 15,
                argAdd: (long)zw * zx * k * k, pool: pool, depthwise: dw);
            byte[] input = new byte[ic * h * w];
            random.NextBytes(input);

            var conv = (K210ConvBody)model.Layers[0].Body;
            var check = new LayerChecker(new Diagnostics.DiagnosticBag(), 0, KmodelLayerType.K210Conv, model.Header.MainMemUsage, null);
            var parameters = ConvLayerDecoder.Decode(conv, true, ActivationRounding.SdkHalfUp, check)!;
            var reference = new KpuConvEngine(parameters, forceReference: true);
            var state = new Kmodel.Simulation.Steps.SimulationState((int)model.Header.MainMemUsage);
            KpuMapAddressing.ForWidth(0, ic, h, w).Scatter(input, state.Kpu);
            byte[] expected = new byte[parameters.OutputBytes];
            reference.Run(state.Scratch, state.Kpu, state.Main, expected);

            CollectionAssert.AreEqual(expected, SyntheticConv.Run(model, input), $"ic {ic} oc {oc} k {k} pool {pool} dw {dw}");
            Assert.IsTrue(expected.Distinct().Count() > 3, "the layer must not saturate everything: " + string.Join(",", expected.Take(20)));
        }
    }
}
