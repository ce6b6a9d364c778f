using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>ADD (1): float32 element-wise sum.</summary>
internal sealed class AddEntry : FieldLayoutEntry<AddBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Add];

    protected override int FixedSize => AddBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override AddBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) => new(f.U(1), f.U(2), f.U(3), f.U(4));

    protected override void Encode(AddBody b, BodyFieldWriter w) => w.U(1, b.InA, b.InB, b.Out, b.Count);

    protected override IReadOnlyList<MemoryRange> Ranges(AddBody b) =>
        [In("in_a", b.InA, F32 * b.Count), In("in_b", b.InB, F32 * b.Count), Out("out", b.Out, F32 * b.Count)];

    protected override void Check(AddBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(AddBody b, StepContext context)
    {
        context.CheckMain(Ranges(b));
        return context.Check.Failed ? null : new AddStep(context.Index, b);
    }
}
