using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>LOGISTIC (25): float32 sigmoid over <c>channels</c> values.</summary>
internal sealed class LogisticEntry : FieldLayoutEntry<LogisticBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Logistic];

    protected override int FixedSize => LogisticBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override LogisticBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) => new(f.U(1), f.U(2), f.U(3));

    protected override void Encode(LogisticBody b, BodyFieldWriter w) => w.U(1, b.In, b.Out, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(LogisticBody b) => [In("in", b.In, F32 * b.Channels), Out("out", b.Out, F32 * b.Channels)];

    protected override void Check(LogisticBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(LogisticBody b, StepContext context)
    {
        context.CheckMain(Ranges(b));
        return context.Check.Failed ? null : new LogisticStep(context.Index, b);
    }
}
