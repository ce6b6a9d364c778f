using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>CHANNELWISE_DEQUANTIZE (24): uint8 → float32 with a (scale, bias) pair per channel after the fields.</summary>
internal sealed class ChannelwiseDequantizeEntry : FieldLayoutEntry<ChannelwiseDequantizeBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.ChannelwiseDequantize];

    protected override int FixedSize => ChannelwiseDequantizeBody.FixedSize;

    protected override bool HasCounts => true;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override long SizeWithCounts(BodyFields f) => FixedSize + (8L * f.U(3));

    protected override ChannelwiseDequantizeBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body)
    {
        var parameters = new (float Scale, float Bias)[f.U(3)];
        for (int c = 0; c < parameters.Length; c++)
        {
            parameters[c] = (f.F(5 + (2 * c)), f.F(6 + (2 * c)));
        }

        return new ChannelwiseDequantizeBody(f.U(1), f.U(2), f.U(4), parameters);
    }

    protected override long Size(ChannelwiseDequantizeBody b) => ChannelwiseDequantizeBody.FixedSize + (8L * b.Parameters.Count);

    protected override void Encode(ChannelwiseDequantizeBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out, b.Channels, b.ChannelSize);
        for (int c = 0; c < b.Parameters.Count; c++)
        {
            w.F(5 + (2 * c), b.Parameters[c].Scale, b.Parameters[c].Bias);
        }
    }

    protected override IReadOnlyList<MemoryRange> Ranges(ChannelwiseDequantizeBody b) =>
    [
        In("in", b.In, SaturatingMath.Mul(b.Channels, b.ChannelSize)),
        Out("out", b.Out, SaturatingMath.Mul(F32, b.Channels, b.ChannelSize)),
    ];

    protected override void Check(ChannelwiseDequantizeBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(ChannelwiseDequantizeBody b, StepContext context)
    {
        // The footprint's ranges, sized without its 2^52 cap (the messages quote the size).
        var c = context.Check;
        long count = LayerChecker.Product(b.Channels, b.ChannelSize);
        c.Main("in", b.In, count);
        c.Main("out", b.Out, count * F32);
        return c.Failed ? null : new ChannelwiseDequantizeStep(context.Index, b);
    }
}
