using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>GLOBAL_AVERAGE_POOL2D (5): float32 mean of each channel.</summary>
internal sealed class GlobalAveragePool2DEntry : FieldLayoutEntry<GlobalAveragePool2DBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.GlobalAveragePool2D];

    protected override int FixedSize => GlobalAveragePool2DBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override GlobalAveragePool2DBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3), f.U(4));

    protected override void Encode(GlobalAveragePool2DBody b, BodyFieldWriter w) => w.U(1, b.In, b.Out, b.KernelSize, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(GlobalAveragePool2DBody b) =>
        [In("in", b.In, SaturatingMath.Mul(F32, b.KernelSize, b.Channels)), Out("out", b.Out, F32 * b.Channels)];

    protected override void Check(GlobalAveragePool2DBody b, FieldCheck check)
    {
        if (b.KernelSize == 0)
        {
            check.Invalid($"kernel_size is 0 (the runtime divides by it)");
        }
    }

    protected override SimulationStep? Step(GlobalAveragePool2DBody b, StepContext context)
    {
        var c = context.Check;

        // The same ranges as the footprint, sized without its 2^52 cap (the messages quote the size).
        c.Main("in", b.In, LayerChecker.Product(b.KernelSize, b.Channels, F32));
        c.Main("out", b.Out, b.Channels * F32);
        return c.Failed ? null : new GlobalAveragePoolStep(context.Index, b);
    }
}
