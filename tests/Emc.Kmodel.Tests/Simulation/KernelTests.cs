using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>Pooling, KPU RAM layout and CPU layers against hand-computed values (spec §3.2, §4.1, §5.6, §6.4).</summary>
[TestClass]
public sealed class KernelTests
{
    private static readonly byte[] Plane3x5 = [1, 9, 3, 4, 5, 6, 2, 8, 7, 0, 10, 11, 12, 13, 14];

    [TestMethod]
    public void ReducingPoolsOnAnOddPlane()
    {
        byte[] dst = new byte[2];
        KpuPooling.Reduce(1, Plane3x5, 3, 5, dst, 1, 2);          // max 2×2 s2: {1,9,6,2} {3,4,8,7}
        CollectionAssert.AreEqual(new byte[] { 9, 8 }, dst);
        KpuPooling.Reduce(2, Plane3x5, 3, 5, dst, 1, 2);          // mean 18/4 = 4, 22/4 = 5 (truncated)
        CollectionAssert.AreEqual(new byte[] { 4, 5 }, dst);
        byte[] s1 = new byte[15];
        KpuPooling.Reduce(9, Plane3x5, 3, 5, s1, 3, 5);           // max 2×2 s1, outside taps ignored
        Assert.AreEqual(9, s1[0]);
        Assert.AreEqual(5, s1[4]);                                // last column: max(5, 0)
        Assert.AreEqual(14, s1[14]);                              // corner: only itself
        KpuPooling.Reduce(8, Plane3x5, 3, 5, s1, 3, 5);           // mean 2×2 s1, edges replicated
        Assert.AreEqual(14, s1[14]);                              // 4 × 14 / 4
        Assert.AreEqual((5 + 5 + 0 + 0) / 4, s1[4]);
        byte[] one = new byte[1];
        byte[] four = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        KpuPooling.Reduce(3, four, 4, 4, one, 1, 1);
        Assert.AreEqual(15, one[0]);
        KpuPooling.Reduce(4, four, 4, 4, one, 1, 1);
        Assert.AreEqual(120 / 16, one[0]);
        Assert.AreEqual((0, 1), KpuPooling.PickOrigin(6));
        Assert.AreEqual(4, KpuPooling.Stride(7));
    }

    [TestMethod]
    public void MaxPoolsEqualTheWindowDefinitionOnRandomPlanes()
    {
        // §5.6 windows taken literally (taps outside the plane ignored) vs the row-vectorised kernels, on sizes
        // that hit the 16-output vector blocks and their scalar tails.
        var random = new Random(5_6);
        foreach ((int h, int w) in new[] { (1, 2), (2, 33), (5, 64), (7, 95), (13, 130), (4, 31) })
        {
            byte[] plane = new byte[h * w];
            random.NextBytes(plane);
            foreach ((int type, int k, int stride) in new[] { (1, 2, 2), (9, 2, 1), (3, 4, 4) })
            {
                int oh = h / stride, ow = w / stride;
                byte[] actual = new byte[oh * ow];
                KpuPooling.Reduce(type, plane, h, w, actual, oh, ow);
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int m = 0;
                        for (int y = oy * stride; y < Math.Min((oy * stride) + k, h); y++)
                        {
                            for (int x = ox * stride; x < Math.Min((ox * stride) + k, w); x++)
                            {
                                m = Math.Max(m, plane[(y * w) + x]);
                            }
                        }

                        Assert.AreEqual(m, actual[(oy * ow) + ox], $"type {type} {h}×{w} at ({oy}, {ox})");
                    }
                }
            }
        }
    }

    [TestMethod]
    [DataRow(10, 5, 1, 2, 274)]   // W ≤ 16: 4 channels per block, 16-byte pitch
    [DataRow(20, 3, 2, 1, 353)]   // W ≤ 32: 2 per block, 32-byte pitch
    [DataRow(40, 2, 1, 5, 453)]   // W > 32: one channel per block
    [DataRow(100, 1, 2, 70, 710)] // two units per row
    [DataRow(64, 1, 2, 3, 323)]   // multiple of 64: planar CHW
    public void UploadLayoutMatchesSpec32(int width, int c, int y, int x, int offset)
    {
        var map = KpuMapAddressing.ForWidth(0, 6, 3, width);
        Assert.AreEqual(offset, map.Offset(c, y, x));
        var state = new SimulationState(6 * 3 * width);
        byte[] planar = new byte[6 * 3 * width];
        planar[(((c * 3) + y) * width) + x] = 77;
        planar.CopyTo(state.Main, 0);
        new UploadStep(0, new K210UploadBody(0, 0, (uint)width, 3, 6)).Run(state);
        Assert.AreEqual(77, state.Kpu[offset]);
    }

    [TestMethod]
    public void AddAndRemovePadding()
    {
        var state = new SimulationState(128);
        state.Main[0] = 11;
        state.Main[5] = 66;
        new AddPaddingStep(0, new K210AddPaddingBody(0, 2, 6)).Run(state);
        Assert.AreEqual(11, state.Kpu[128]);                       // unit 2, channel 0
        Assert.AreEqual(66, state.Kpu[128 + 256 + 16]);            // channel 5 → block 1, slot 1
        for (int c = 0; c < 4; c++)
        {
            state.Main[32 + (c * 16)] = (byte)(c + 1);
        }

        new RemovePaddingStep(0, new K210RemovePaddingBody(32, 100, 4)).Run(state);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4 }, state.Main.AsSpan(100, 4).ToArray());
    }

    [TestMethod]
    public void QuantizeRoundsHalvesAwayFromZero()
    {
        Assert.AreEqual(3, QuantizeStep.Quantize(2.5f, 0, 1));
        Assert.AreEqual(2, QuantizeStep.Quantize(1.5f, 0, 1));
        Assert.AreEqual(1, QuantizeStep.Quantize(0.5f, 0, 1));
        Assert.AreEqual(0, QuantizeStep.Quantize(-0.5f, 0, 1));   // −1 clamps to 0
        Assert.AreEqual(255, QuantizeStep.Quantize(300f, 0, 1));
        Assert.AreEqual(4, QuantizeStep.Quantize(2.5f, -1.5f, 1)); // (2.5 + 1.5) = 4
    }

    [TestMethod]
    public void CarryShiftRoundsHalfUpAndKeepsTheSdkQuirkForNegatives()
    {
        Assert.AreEqual(2, KpuArithmetic.CarryShift(3, 1));
        Assert.AreEqual(3, KpuArithmetic.CarryShift(5, 1));
        Assert.AreEqual(1, KpuArithmetic.CarryShift(5, 2));       // 1.25
        Assert.AreEqual(-3, KpuArithmetic.CarryShift(-3, 1));     // −1.5 → −3 (kpu_carry_shift)
        Assert.AreEqual(2, KpuArithmetic.ShiftHalfEven(5, 1));
        Assert.AreEqual(2, KpuArithmetic.ShiftHalfEven(3, 1));
        Assert.AreEqual(-2, KpuArithmetic.ShiftHalfEven(-3, 1));
    }

    [TestMethod]
    public void QuantizedAddUsesFloorInputShiftsAndCarryOutputShift()
    {
        var state = new SimulationState(64);
        state.Main[0] = 3;
        state.Main[16] = 4;
        // Different shifts: ((3+1)·3 >> 1) + ((4+0)·5 >> 2) = 6 + 5 = 11; (11·1) carry>> 1 = 5.5 → 6; + 10 = 16.
        new QuantizedAddStep(0, new QuantizedAddBody(0, 16, 32, 1, 1, 3, 1, 0, 5, 2, 10, 1, 1)).Run(state);
        Assert.AreEqual(16, state.Main[32]);
        // Equal shifts: ((3+1)·3 + 4·5) >> 2 = 32 >> 2 = 8; 8·3 = 24 carry>> 4 = 1.5 → 2; + 0.
        new QuantizedAddStep(0, new QuantizedAddBody(0, 16, 32, 1, 1, 3, 2, 0, 5, 2, 0, 3, 4)).Run(state);
        Assert.AreEqual(2, state.Main[32]);
    }

    [TestMethod]
    public void SoftmaxStartsFromFltMinAndNormalises()
    {
        var state = new SimulationState(64);
        float[] x = [1f, 2f, 3f];
        x.AsSpan().CopyTo(state.MainFloats(0, 3));
        new SoftmaxStep(0, new SoftmaxBody(0, 16, 3)).Run(state);
        float[] got = state.MainFloats(16, 3).ToArray();
        double sum = Math.Exp(-2) + Math.Exp(-1) + 1;
        Assert.AreEqual(1 / sum, got[2], 1e-6);
        Assert.AreEqual(Math.Exp(-2) / sum, got[0], 1e-6);

        // All negative: max stays FLT_MIN (≈ 0), so e_i = exp(x_i); the ratios are unchanged.
        new float[] { -1f, -2f, -3f }.AsSpan().CopyTo(state.MainFloats(0, 3));
        new SoftmaxStep(0, new SoftmaxBody(0, 16, 3)).Run(state);
        Assert.AreEqual(1 / sum, state.MainFloats(16, 3)[0], 1e-6);
    }

    [TestMethod]
    public void OutOfRangeMemoryIsADiagnosticNamingTheLayer()
    {
        var model = SyntheticConv.Model(1, 4, 4, 1, 1, [1], new KpuBatchNorm(1, 0, 0), SyntheticConv.Identity());
        var conv = (K210ConvBody)model.Layers[0].Body;
        var bad = model with { Layers = [new KmodelLayer(conv with { MainMemOutAddress = 1000 }, 0)] };
        var created = KmodelSimulator.Create(bad);
        Assert.IsNull(created.Value);
        var d = created.Diagnostics.Single(x => x.Code == "EMC0403");
        Assert.AreEqual("layer 0", d.NodeName);

        var huge = model with { Header = model.Header with { MainMemUsage = 1u << 30 } };
        Assert.AreEqual("EMC0405", KmodelSimulator.Create(huge).Diagnostics.Single().Code);

        var sim = KmodelSimulator.Create(model).Value!;
        Assert.AreEqual("EMC0406", sim.TryRun(new byte[3]).Diagnostics.Single().Code);
    }

    [TestMethod]
    public void ResizeFlattenAndConcat()
    {
        var state = new SimulationState(256);
        byte[] two = [1, 2, 3, 4];                                // 1×2×2
        two.CopyTo(state.Main, 0);
        new ResizeStep(0, new ResizeNearestNeighborBody(KmodelLayerType.QuantizedResizeNearestNeighbor, 0, 16, 2, 2, 1, 3, 3, 0)).Run(state);
        // scale 2/3: rows/cols 0,1,2 → floor(0), floor(0.667), floor(1.333) = 0, 0, 1.
        CollectionAssert.AreEqual(new byte[] { 1, 1, 2, 1, 1, 2, 3, 3, 4 }, state.Main.AsSpan(16, 9).ToArray());

        byte[] chw = [1, 2, 3, 4, 5, 6, 7, 8];                    // 2×2×2 CHW
        chw.CopyTo(state.Main, 32);
        new FlattenStep(0, new TensorflowFlattenBody(KmodelLayerType.QuantizedTensorflowFlatten, 32, 48, 2, 2, 2)).Run(state);
        CollectionAssert.AreEqual(new byte[] { 1, 5, 2, 6, 3, 7, 4, 8 }, state.Main.AsSpan(48, 8).ToArray());

        new ConcatStep(0, new ConcatBody(KmodelLayerType.QuantizedConcat, 64, [(48, 3), (16, 2)])).Run(state);
        CollectionAssert.AreEqual(new byte[] { 1, 5, 2, 1, 1 }, state.Main.AsSpan(64, 5).ToArray());
    }
}
