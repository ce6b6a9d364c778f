using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>MAX_POOL2D (7) and AVERAGE_POOL2D (9): float32 pools; the stock SDK (and the simulator) only run 9.</summary>
internal sealed class Pool2DEntry : FieldLayoutEntry<Pool2DBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.MaxPool2D, KmodelLayerType.AveragePool2D];

    protected override int FixedSize => Pool2DBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => type == KmodelLayerType.AveragePool2D;

    protected override Pool2DBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(type, f.U(1), f.U(2), f.Window(3), f.U(15));

    protected override void Encode(Pool2DBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out);
        w.Window(3, b.Window);
        w.U(15, b.Activation);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(Pool2DBody b) =>
        [In("in", b.In, F32 * PoolWindowRules.InSize(b.Window)), Out("out", b.Out, F32 * PoolWindowRules.OutSize(b.Window))];

    protected override void Check(Pool2DBody b, FieldCheck check)
    {
        check.TypeIsOneOf(KmodelLayerType.MaxPool2D, KmodelLayerType.AveragePool2D);
        PoolWindowRules.CheckFields(b.Window, check);
    }

    protected override SimulationStep? Step(Pool2DBody b, StepContext context)
    {
        if (b.LayerType != KmodelLayerType.AveragePool2D)
        {
            return context.Unsupported(b);
        }

        PoolWindowRules.CheckRun(context.Check, b.In, b.Out, b.Window, F32);
        return context.Check.Failed ? null : new AveragePoolStep(context.Index, b);
    }
}
