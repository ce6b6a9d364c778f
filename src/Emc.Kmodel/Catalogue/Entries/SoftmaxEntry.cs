using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>SOFTMAX (15): float32 softmax over <c>channels</c> values.</summary>
internal sealed class SoftmaxEntry : FieldLayoutEntry<SoftmaxBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Softmax];

    protected override int FixedSize => SoftmaxBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override SoftmaxBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) => new(f.U(1), f.U(2), f.U(3));

    protected override void Encode(SoftmaxBody b, BodyFieldWriter w) => w.U(1, b.In, b.Out, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(SoftmaxBody b) => [In("in", b.In, F32 * b.Channels), Out("out", b.Out, F32 * b.Channels)];

    protected override void Check(SoftmaxBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(SoftmaxBody b, StepContext context)
    {
        context.CheckMain(Ranges(b));
        return context.Check.Failed ? null : new SoftmaxStep(context.Index, b);
    }
}
