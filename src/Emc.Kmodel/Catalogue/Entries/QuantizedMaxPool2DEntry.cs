using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>QUANTIZED_MAX_POOL2D (8): uint8 max pool over a <see cref="PoolWindow"/>.</summary>
internal sealed class QuantizedMaxPool2DEntry : FieldLayoutEntry<QuantizedMaxPool2DBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.QuantizedMaxPool2D];

    protected override int FixedSize => QuantizedMaxPool2DBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override QuantizedMaxPool2DBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.Window(3));

    protected override void Encode(QuantizedMaxPool2DBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out);
        w.Window(3, b.Window);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(QuantizedMaxPool2DBody b) =>
        [In("in", b.In, PoolWindowRules.InSize(b.Window)), Out("out", b.Out, PoolWindowRules.OutSize(b.Window))];

    protected override void Check(QuantizedMaxPool2DBody b, FieldCheck check) => PoolWindowRules.CheckFields(b.Window, check);

    protected override SimulationStep? Step(QuantizedMaxPool2DBody b, StepContext context)
    {
        PoolWindowRules.CheckRun(context.Check, b.In, b.Out, b.Window, 1);
        return context.Check.Failed ? null : new QuantizedMaxPoolStep(context.Index, b);
    }
}
