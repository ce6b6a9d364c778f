using Emc.Diagnostics;
using Emc.Kmodel.Catalogue;
using Emc.Kmodel.Simulation;
using Emc.Kmodel.Tests.Simulation;

namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class LayerCatalogueTests
{
    public static IEnumerable<object[]> AllTypes => Enum.GetValues<KmodelLayerType>().Select(t => new object[] { t });

    [TestMethod]
    public void EveryTypeCodeIsListedByExactlyOneEntry()
    {
        foreach (var type in Enum.GetValues<KmodelLayerType>())
        {
            var listing = LayerCatalogue.Entries.Where(e => e.Types.Contains(type)).ToList();
            Assert.AreEqual(1, listing.Count, $"{type} is listed by {listing.Count} entries");
            Assert.AreSame(listing[0], LayerCatalogue.For(type), type.ToString());
        }

        Assert.IsTrue(LayerCatalogue.Entries.SelectMany(e => e.Types).All(Enum.IsDefined), "an entry lists a code the enumeration does not name");
        Assert.AreEqual(
            LayerCatalogue.Entries.Count,
            LayerCatalogue.Entries.Select(e => e.BodyType).Distinct().Count(),
            "two entries claim the same body record");
        Assert.IsNull(LayerCatalogue.For((KmodelLayerType)26));
    }

    [TestMethod]
    [DynamicData(nameof(AllTypes))]
    public void EveryTypeHasAnEntryWithEveryPart(KmodelLayerType type)
    {
        var entry = LayerCatalogue.For(type);
        Assert.IsNotNull(entry, $"{type} has no catalogue entry");
        LayerBody body = Sample(type);
        Assert.AreEqual(type, body.Type);
        Assert.AreEqual(entry.BodyType, body.GetType());
        Assert.AreSame(entry, LayerCatalogue.For(body), "the body record does not lead back to its entry");

        // Layout: the size rule, encode and decode agree (the body round-trips through its slot).
        long size = entry.ContentSize(body);
        Assert.IsTrue(size >= 0, $"{type}: content size {size}");
        var slot = new byte[Math.Max(size, 4)];
        entry.Write(body, slot, bodyStart: 0);
        var sink = new DiagnosticSink(null);
        var (again, used) = entry.Read(type, new BodySource(slot, 0, (uint)slot.Length, slot.Length, Header, 0, sink));
        Assert.IsNotNull(again, $"{type}: {string.Join("; ", sink.Bag)}");
        Assert.AreEqual(body.GetType(), again.GetType());
        Assert.AreEqual(size, used, $"{type}: the decoder used {used} bytes, the encoder wrote {size}");
        var rewritten = new byte[slot.Length];
        entry.Write(again, rewritten, bodyStart: 0);
        CollectionAssert.AreEqual(slot, rewritten, $"{type}: the body does not round-trip");

        // Footprint: known layouts declare what they read and write.
        var ranges = entry.Footprint(body);
        Assert.AreEqual(entry.HasKnownLayout, ranges.Count > 0, $"{type}: {ranges.Count} ranges");
        Assert.IsTrue(ranges.Any(r => r.IsOutput) || !entry.HasKnownLayout, $"{type}: no output range");

        // Field rules and the simulator step factory run; a refused step always says why.
        entry.CheckFields(body, new FieldCheck(Header, 0, type, sink));
        var bag = new DiagnosticBag();
        var step = entry.Prepare(body, new StepContext(0, Header, new SimulatorOptions(), new LayerChecker(bag, 0, type, Header.MainMemUsage, null)));
        Assert.IsTrue(step is not null || bag.HasErrors, $"{type}: no step and no diagnostic");
        if (step is not null)
        {
            Assert.AreEqual(type, step.Type);
        }

        Assert.AreEqual(entry.HasKnownLayout, KmodelLayerTypes.HasKnownLayout(type));
        Assert.AreEqual(entry.IsRunByStockSdk(type), KmodelLayerTypes.IsRunByStockSdk(type));
    }

    private static KmodelHeader Header { get; } = new(KmodelHeader.Version3, 1, 0, 0, 1 << 20);

    /// <summary>A body of the type: a 1×1 conv laid out for a body at offset 0, otherwise the decoding of zeros.</summary>
    private static LayerBody Sample(KmodelLayerType type)
    {
        if (type == KmodelLayerType.K210Conv)
        {
            var model = SyntheticConv.Model(1, 4, 4, 1, 1, [1], new KpuBatchNorm(1, 0, 0), SyntheticConv.Identity());
            var conv = (K210ConvBody)model.Layers[0].Body;
            return conv with { Layout = KmodelBuilder.ConvLayout(0, conv.Weights.Length, conv.BatchNorm.Length) };
        }

        var zeros = new byte[512];
        var sink = new DiagnosticSink(null);
        var (body, _) = LayerCatalogue.For(type)!.Read(type, new BodySource(zeros, 0, (uint)zeros.Length, zeros.Length, Header, 0, sink));
        return body ?? throw new AssertFailedException($"{type}: zeros do not decode: {string.Join("; ", sink.Bag)}");
    }
}
