using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>DEQUANTIZE (12): uint8 → float32.</summary>
internal sealed class DequantizeEntry : FieldLayoutEntry<DequantizeBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Dequantize];

    protected override int FixedSize => DequantizeBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override DequantizeBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3), f.F(4), f.F(5));

    protected override void Encode(DequantizeBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out, b.Count);
        w.F(4, b.Scale, b.Bias);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(DequantizeBody b) => [In("in", b.In, b.Count), Out("out", b.Out, F32 * b.Count)];

    protected override void Check(DequantizeBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(DequantizeBody b, StepContext context)
    {
        context.CheckMain(Ranges(b));
        return context.Check.Failed ? null : new DequantizeStep(context.Index, b);
    }
}
