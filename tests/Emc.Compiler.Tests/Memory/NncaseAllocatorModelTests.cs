using Emc.Compiler.K210.Memory;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.Memory;

/// <summary>
/// The yardstick is only meaningful if it is nncase's policy: it must reproduce the addresses nncase v0.1.0-rc5 wrote
/// into its own example files (../shared/testdata/kmodel-v3/nncase-v0.1.0-rc5).
/// </summary>
[TestClass]
public sealed class NncaseAllocatorModelTests
{
    [TestMethod]
    public void ReproducesTheRc5YoloKpuAndMainAddresses()
    {
        var file = KmodelReader.ReadFile(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "yolo.kmodel")).Value!;
        var convs = file.Layers.Take(16).Select(l => (K210ConvBody)l.Body).ToList();
        var dequantize = (ChannelwiseDequantizeBody)file.Layers[16].Body;

        // The input, then each conv's output, read by the next conv; the last conv's map is read by nobody on the KPU.
        var r0 = convs[0].Registers;
        var kpu = new List<BufferRequest> { new(KpuTensorLayout.SizeInUnits(r0.InWidth, r0.InHeight, r0.InChannels), 0, 0) };
        for (int i = 0; i < convs.Count; i++)
        {
            var r = convs[i].Registers;
            kpu.Add(new BufferRequest(KpuTensorLayout.SizeInUnits(r.OutWidth, r.OutHeight, r.OutChannels), i, Math.Min(i + 1, convs.Count - 1)));
        }

        var placed = NncaseAllocatorModel.PlaceKpu(kpu);
        Assert.IsNotNull(placed);
        PlacementCheck.AssertRequests("rc5 yolo KPU", kpu, placed.Value.Offsets, NncaseAllocatorModel.KpuUnits);
        for (int i = 0; i < convs.Count; i++)
        {
            Assert.AreEqual((long)convs[i].Registers.ImageSrcAddr, placed.Value.Offsets[i], $"conv {i} image_src_addr");
            Assert.AreEqual((long)convs[i].Registers.ImageDstAddr, placed.Value.Offsets[i + 1], $"conv {i} image_dst_addr");
        }

        Assert.AreEqual(NncaseAllocatorModel.KpuUnits - file.Header.MaxStartAddress, placed.Value.PeakUnits);

        // Main memory: the last conv's uint8 copy (read by the dequantize), then the float output.
        var last = convs[^1].Registers;
        long mapBytes = (long)last.OutChannels * last.OutHeight * last.OutWidth;
        var main = new List<BufferRequest> { new(RoundTo8(mapBytes), 15, 16), new(RoundTo8(mapBytes * 4), 16, 17) };
        var (offsets, usage) = NncaseAllocatorModel.PlaceMain(main);
        Assert.AreEqual((long)convs[^1].MainMemOutAddress, offsets[0]);
        Assert.AreEqual((long)dequantize.In, offsets[0]);
        Assert.AreEqual((long)dequantize.Out, offsets[1]);
        Assert.AreEqual((long)file.Header.MainMemUsage, usage);
    }

    [TestMethod]
    public void ReproducesTheRc5IrisMainAddresses()
    {
        var file = KmodelReader.ReadFile(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel")).Value!;
        var fc = file.Layers.Select(l => (FullyConnectedBody)l.Body).ToList();

        // Float input (read by FC 0), FC 0's output (read by FC 1), FC 1's output (the model output).
        var main = new List<BufferRequest>
        {
            new(RoundTo8(4L * fc[0].InChannels), 0, 0),
            new(RoundTo8(4L * fc[0].OutChannels), 0, 1),
            new(RoundTo8(4L * fc[1].OutChannels), 1, 2),
        };
        var (offsets, usage) = NncaseAllocatorModel.PlaceMain(main);
        PlacementCheck.AssertRequests("rc5 iris main", main, offsets, usage);
        Assert.AreEqual((long)fc[0].In, offsets[0]);
        Assert.AreEqual((long)fc[0].Out, offsets[1]);
        Assert.AreEqual((long)fc[1].In, offsets[1]);
        Assert.AreEqual((long)fc[1].Out, offsets[2]);
        Assert.AreEqual((long)file.Header.MainMemUsage, usage);
        Assert.AreEqual((long)file.Outputs[0].Address, offsets[2]);
    }

    [TestMethod]
    public void KpuAlternatesTopAndBottomAndTakesExactBlocksWhole()
    {
        // Step 0: a top, b bottom, c top of the rest; a freed leaves [32668, 32768) free beside c.
        // Step 1: e fits that block exactly: taken whole, the alternation does not advance (still bottom).
        // Step 2: f from the bottom of the middle block; step 3: g from its top.
        var requests = new[]
        {
            new BufferRequest(100, 0, 0), new BufferRequest(200, 0, 9), new BufferRequest(300, 0, 9),
            new BufferRequest(100, 1, 9), new BufferRequest(50, 2, 9), new BufferRequest(50, 3, 9),
        };
        var p = NncaseAllocatorModel.PlaceKpu(requests)!.Value;
        CollectionAssert.AreEqual(new long[] { 32668, 0, 32368, 32668, 200, 32318 }, p.Offsets);
        Assert.AreEqual(32768L, p.PeakUnits);
        PlacementCheck.AssertRequests("ping-pong", requests, p.Offsets, NncaseAllocatorModel.KpuUnits);

        // 200 top, then 32468 from the bottom leaves 100 units: the next 200 do not fit.
        Assert.IsNull(NncaseAllocatorModel.PlaceKpu([new(200, 0, 2), new(32468, 1, 2), new(200, 1, 1)]));
    }

    [TestMethod]
    public void MainGrowsTheTrailingFreeBlock()
    {
        // a [0,16) and b [16,48) appended; a freed; c (64) fits nowhere and the arena's last block is used: appended
        // at 48. b freed merges into [0, 48); d (8) is carved from that block's top.
        var requests = new[] { new BufferRequest(16, 0, 0), new BufferRequest(32, 0, 1), new BufferRequest(64, 1, 3), new BufferRequest(8, 2, 2) };
        var (offsets, usage) = NncaseAllocatorModel.PlaceMain(requests);
        Assert.AreEqual(0L, offsets[0]);
        Assert.AreEqual(16L, offsets[1]);
        Assert.AreEqual(48L, offsets[2]);
        Assert.AreEqual(40L, offsets[3]); // top of the last free block [0, 48)
        Assert.AreEqual(112L, usage);

        // A free block at the end of the arena is enlarged instead.
        var grow = new[] { new BufferRequest(16, 0, 0), new BufferRequest(32, 1, 1) };
        var (g, gUsage) = NncaseAllocatorModel.PlaceMain(grow);
        Assert.AreEqual(0L, g[1]);
        Assert.AreEqual(32L, gUsage);
    }

    private static long RoundTo8(long bytes) => (bytes + 7) / 8 * 8;
}
