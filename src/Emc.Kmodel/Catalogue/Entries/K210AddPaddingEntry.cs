using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>K210_ADD_PADDING (10241): byte c of main memory → pixel (0,0) of channel c of a 4×4 KPU map.</summary>
internal sealed class K210AddPaddingEntry : FieldLayoutEntry<K210AddPaddingBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.K210AddPadding];

    protected override int FixedSize => K210AddPaddingBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override K210AddPaddingBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) => new(f.U(1), f.U(2), f.U(3));

    protected override void Encode(K210AddPaddingBody b, BodyFieldWriter w) => w.U(1, b.MainMemIn, b.KpuMemOut, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(K210AddPaddingBody b) =>
        [In("main_mem_in", b.MainMemIn, b.Channels), KpuOut("kpu_mem_out", b.KpuMemOut, KpuTensorLayout.SizeInUnits(4, 4, b.Channels))];

    protected override void Check(K210AddPaddingBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(K210AddPaddingBody b, StepContext context)
    {
        // The KPU side is checked as the bytes the 4×4 map addressing writes, not the footprint's whole units.
        var c = context.Check;
        c.Main("main_mem_in", b.MainMemIn, b.Channels);
        c.Require(b.Channels <= 65536 && b.KpuMemOut < 32768, SimulatorDiagnostics.KpuMemoryRange,
            StepContext.Text($"{b.Channels} channels at unit {b.KpuMemOut} do not fit the KPU RAM"));
        if (!c.Failed)
        {
            c.Kpu("kpu_mem_out", KpuMapAddressing.ForWidth((int)b.KpuMemOut, (int)b.Channels, 4, 4));
        }

        return c.Failed ? null : new AddPaddingStep(context.Index, b);
    }
}
