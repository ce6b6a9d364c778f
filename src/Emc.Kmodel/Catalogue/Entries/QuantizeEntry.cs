using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>QUANTIZE (11): float32 → uint8.</summary>
internal sealed class QuantizeEntry : FieldLayoutEntry<QuantizeBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Quantize];

    protected override int FixedSize => QuantizeBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override QuantizeBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3), f.F(4), f.F(5));

    protected override void Encode(QuantizeBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out, b.Count);
        w.F(4, b.Scale, b.Bias);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(QuantizeBody b) => [In("in", b.In, F32 * b.Count), Out("out", b.Out, b.Count)];

    protected override void Check(QuantizeBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(QuantizeBody b, StepContext context)
    {
        context.CheckMain(Ranges(b));
        return context.Check.Failed ? null : new QuantizeStep(context.Index, b);
    }
}
