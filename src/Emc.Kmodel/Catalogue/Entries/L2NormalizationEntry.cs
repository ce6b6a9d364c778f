using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>L2_NORMALIZATION (14): float32 L2 normalization over <c>channels</c> values.</summary>
internal sealed class L2NormalizationEntry : FieldLayoutEntry<L2NormalizationBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.L2Normalization];

    protected override int FixedSize => L2NormalizationBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override L2NormalizationBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) => new(f.U(1), f.U(2), f.U(3));

    protected override void Encode(L2NormalizationBody b, BodyFieldWriter w) => w.U(1, b.In, b.Out, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(L2NormalizationBody b) => [In("in", b.In, F32 * b.Channels), Out("out", b.Out, F32 * b.Channels)];

    protected override void Check(L2NormalizationBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(L2NormalizationBody b, StepContext context)
    {
        context.CheckMain(Ranges(b));
        return context.Check.Failed ? null : new L2NormalizationStep(context.Index, b);
    }
}
