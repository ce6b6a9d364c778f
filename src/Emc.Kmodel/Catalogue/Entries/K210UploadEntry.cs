using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>K210_UPLOAD (10243): planar uint8 CHW in main memory → KPU RAM layout (spec §3.2).</summary>
internal sealed class K210UploadEntry : FieldLayoutEntry<K210UploadBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.K210Upload];

    protected override int FixedSize => K210UploadBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override K210UploadBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3), f.U(4), f.U(5));

    protected override void Encode(K210UploadBody b, BodyFieldWriter w) => w.U(1, b.MainMemIn, b.KpuMemOut, b.Width, b.Height, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(K210UploadBody b) =>
    [
        In("main_mem_in", b.MainMemIn, SaturatingMath.Mul(b.Width, b.Height, b.Channels)),
        KpuOut("kpu_mem_out", b.KpuMemOut, KpuTensorLayout.SizeInUnits(b.Width, b.Height, b.Channels)),
    ];

    protected override void Check(K210UploadBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(K210UploadBody b, StepContext context)
    {
        // The KPU side is checked as the bytes the map addressing writes, not the footprint's whole units.
        var c = context.Check;
        c.Main("main_mem_in", b.MainMemIn, LayerChecker.Product(b.Width, b.Height, b.Channels));
        c.Require(b.Width <= 65536 && b.Height <= 65536 && b.Channels <= 65536 && b.KpuMemOut < 32768,
            SimulatorDiagnostics.KpuMemoryRange, StepContext.Text($"{b.Channels}×{b.Height}×{b.Width} at unit {b.KpuMemOut} does not fit the KPU RAM"));
        if (!c.Failed)
        {
            c.Kpu("kpu_mem_out", KpuMapAddressing.ForWidth((int)b.KpuMemOut, (int)b.Channels, (int)b.Height, (int)b.Width));
        }

        return c.Failed ? null : new UploadStep(context.Index, b);
    }
}
