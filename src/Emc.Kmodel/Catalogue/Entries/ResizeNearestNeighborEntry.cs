using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>RESIZE_NEAREST_NEIGHBOR (22, float32) and QUANTIZED_RESIZE_NEAREST_NEIGHBOR (23, uint8).</summary>
internal sealed class ResizeNearestNeighborEntry : FieldLayoutEntry<ResizeNearestNeighborBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } =
        [KmodelLayerType.ResizeNearestNeighbor, KmodelLayerType.QuantizedResizeNearestNeighbor];

    protected override int FixedSize => ResizeNearestNeighborBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override ResizeNearestNeighborBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(type, f.U(1), f.U(2), f.U(3), f.U(4), f.U(5), f.U(6), f.U(7), f.U(8));

    protected override void Encode(ResizeNearestNeighborBody b, BodyFieldWriter w) =>
        w.U(1, b.In, b.Out, b.InWidth, b.InHeight, b.InChannels, b.OutWidth, b.OutHeight, b.AlignCorners);

    protected override IReadOnlyList<MemoryRange> Ranges(ResizeNearestNeighborBody b)
    {
        long element = b.Type == KmodelLayerType.QuantizedResizeNearestNeighbor ? 1 : F32;
        return
        [
            In("in", b.In, SaturatingMath.Mul(b.InWidth, b.InHeight, b.InChannels) * element),
            Out("out", b.Out, SaturatingMath.Mul(b.OutWidth, b.OutHeight, b.InChannels) * element),
        ];
    }

    protected override void Check(ResizeNearestNeighborBody b, FieldCheck check)
    {
        check.TypeIsOneOf(KmodelLayerType.ResizeNearestNeighbor, KmodelLayerType.QuantizedResizeNearestNeighbor);
        if (b.OutWidth == 0 || b.OutHeight == 0)
        {
            check.Invalid($"output size {b.OutWidth}×{b.OutHeight} is empty (the runtime divides by it)");
        }

        if (b.InWidth == 0 || b.InHeight == 0 || b.InChannels == 0)
        {
            check.Invalid($"input shape {b.InChannels}×{b.InHeight}×{b.InWidth} has an empty dimension");
        }
    }

    protected override SimulationStep? Step(ResizeNearestNeighborBody b, StepContext context)
    {
        // The footprint's ranges, sized without its 2^52 cap (the messages quote the size).
        var c = context.Check;
        long e = b.LayerType == KmodelLayerType.ResizeNearestNeighbor ? F32 : 1;
        long outBytes = LayerChecker.Product(b.OutWidth, b.OutHeight, b.InChannels, e);
        c.Main("in", b.In, LayerChecker.Product(b.InWidth, b.InHeight, b.InChannels, e));
        c.Main("out", b.Out, outBytes);
        c.Require(outBytes == 0 || (b.InWidth > 0 && b.InHeight > 0), SimulatorDiagnostics.LayerParameters, "input width or height is 0");
        return c.Failed ? null : new ResizeStep(context.Index, b);
    }
}
