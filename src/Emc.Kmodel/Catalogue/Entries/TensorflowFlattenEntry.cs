using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>
/// TENSORFLOW_FLATTEN (20, float32) and QUANTIZED_TENSORFLOW_FLATTEN (21, uint8): CHW → HWC. The stock SDK
/// only runs 20; the simulator runs 21 when <see cref="SimulatorOptions.RunQuantizedFlatten"/> is on.
/// </summary>
internal sealed class TensorflowFlattenEntry : FieldLayoutEntry<TensorflowFlattenBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } =
        [KmodelLayerType.TensorflowFlatten, KmodelLayerType.QuantizedTensorflowFlatten];

    protected override int FixedSize => TensorflowFlattenBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => type == KmodelLayerType.TensorflowFlatten;

    protected override TensorflowFlattenBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(type, f.U(1), f.U(2), f.U(3), f.U(4), f.U(5));

    protected override void Encode(TensorflowFlattenBody b, BodyFieldWriter w) => w.U(1, b.In, b.Out, b.Width, b.Height, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(TensorflowFlattenBody b)
    {
        long size = SaturatingMath.Mul(b.Width, b.Height, b.Channels) * (b.Type == KmodelLayerType.QuantizedTensorflowFlatten ? 1 : F32);
        return [In("in", b.In, size), Out("out", b.Out, size)];
    }

    protected override void Check(TensorflowFlattenBody b, FieldCheck check)
    {
        check.TypeIsOneOf(KmodelLayerType.TensorflowFlatten, KmodelLayerType.QuantizedTensorflowFlatten);
        if (b.Width == 0 || b.Height == 0 || b.Channels == 0)
        {
            // An empty tensor has no memory to bound the other dimensions: 0×2^31×2^31 would loop for hours.
            check.Invalid($"shape {b.Channels}×{b.Height}×{b.Width} has an empty dimension");
        }
    }

    protected override SimulationStep? Step(TensorflowFlattenBody b, StepContext context)
    {
        bool runs = b.LayerType == KmodelLayerType.TensorflowFlatten
            || (b.LayerType == KmodelLayerType.QuantizedTensorflowFlatten && context.Options.RunQuantizedFlatten);
        if (!runs)
        {
            return context.Unsupported(b);
        }

        // The footprint's ranges, sized without its 2^52 cap (the messages quote the size).
        var c = context.Check;
        long element = b.LayerType == KmodelLayerType.TensorflowFlatten ? F32 : 1;
        long bytes = LayerChecker.Product(b.Width, b.Height, b.Channels, element);
        c.Main("in", b.In, bytes);
        c.Main("out", b.Out, bytes);
        return c.Failed ? null : new FlattenStep(context.Index, b);
    }
}
