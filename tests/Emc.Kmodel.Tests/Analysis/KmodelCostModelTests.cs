namespace Emc.Kmodel.Tests.Analysis;

/// <summary>The cost model (an estimate, docs/cost-model.md) and the memory timeline on the real kmodels.</summary>
[TestClass]
public sealed class KmodelCostModelTests
{
    [TestMethod]
    public void EveryLayerOfEveryRealFileHasAFiniteNonNegativeEstimate()
    {
        foreach (var (file, _) in KmodelCorpus.V3Files())
        {
            var model = KmodelCorpus.Read(file);
            var estimates = KmodelCostModel.EstimateAll(model);
            Assert.AreEqual(model.Layers.Count, estimates.Count);
            for (int i = 0; i < estimates.Count; i++)
            {
                Assert.IsTrue(double.IsFinite(estimates[i].EstimatedMicroseconds) && estimates[i].EstimatedMicroseconds >= 0, $"{file} layer {i}");
                bool known = model.Layers[i].Body is not RawLayerBody;
                Assert.AreEqual(known, estimates[i].EstimatedMicroseconds > 0 || model.Layers[i].Body is ConcatBody, $"{file} layer {i}: known layers cost time");
            }
        }
    }

    /// <summary>The whole-model rows of docs/cost-model.md: the estimates stay what the table says (±5%).</summary>
    [TestMethod]
    [DataRow(KmodelCorpus.MbnetV1, 31.0)]
    [DataRow("kmodel-v3/kendryte-standalone-demo/face_detect/detect.kmodel", 11.0)]
    [DataRow("kmodel-v3/kendryte-standalone-demo/kpu_20classes/yolo.kmodel", 9.5)]
    public void WholeModelEstimatesMatchTheDocumentedTable(string file, double milliseconds)
    {
        double total = KmodelCostModel.EstimateAll(KmodelCorpus.Read(file)).Sum(e => e.EstimatedMicroseconds) / 1000;
        Assert.AreEqual(milliseconds, total, milliseconds * 0.05, file);
    }

    [TestMethod]
    public void KpuConvCostFollowsInputUnitsTimesOutputChannels()
    {
        // mbnetv1 layer 31: 768×4×4 → 1000, 1×1: 768 input units × 1000 outputs outweigh the 776 KB weight fetch.
        var model = KmodelCorpus.Read(KmodelCorpus.MbnetV1);
        var conv = (K210ConvBody)model.Layers[31].Body;
        var estimate = KmodelCostModel.Estimate(model, 31);
        double compute = KpuTensorLayout.SizeInUnits(4, 4, 768) * 1000.0 / KmodelCostModel.KpuEfficiency;
        double weights = conv.Weights.Length / KmodelCostModel.KpuWeightBytesPerCycle;
        double dma = conv.MainMemOut ? 4 * 4 * 1000 / KmodelCostModel.DmaBytesPerMicrosecond : 0;
        Assert.AreEqual(((compute + weights) / KmodelCostModel.KpuMhz) + dma + KmodelCostModel.KpuLayerSetupMicroseconds, estimate.EstimatedMicroseconds, 1e-6);
        Assert.AreEqual("KPU compute", estimate.Dominant);
    }

    [TestMethod]
    public void MemoryTimelineStaysWithinThePlannedMemory()
    {
        foreach (var (file, _) in KmodelCorpus.V3Files())
        {
            var model = KmodelCorpus.Read(file);
            var timeline = KmodelMemoryTimeline.Compute(model);
            Assert.AreEqual(model.Layers.Count, timeline.Count);
            Assert.IsTrue(timeline.All(t => t.MainBytes <= model.Header.MainMemUsage + 8), $"{file}: main memory in use within main_mem_usage");
            Assert.IsTrue(timeline.All(t => t.KpuBytes <= KpuTensorLayout.TotalUnits * 64L), $"{file}: KPU RAM within 2 MiB");
            Assert.IsTrue(timeline.Any(t => t.MainBytes > 0), $"{file}: the outputs at least live in main memory");
        }
    }
}
