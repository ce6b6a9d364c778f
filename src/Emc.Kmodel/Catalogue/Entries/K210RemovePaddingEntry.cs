using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>K210_REMOVE_PADDING (10242): <c>out[c] = in[c·16]</c>.</summary>
internal sealed class K210RemovePaddingEntry : FieldLayoutEntry<K210RemovePaddingBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.K210RemovePadding];

    protected override int FixedSize => K210RemovePaddingBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override K210RemovePaddingBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3));

    protected override void Encode(K210RemovePaddingBody b, BodyFieldWriter w) => w.U(1, b.MainMemIn, b.MainMemOut, b.Channels);

    protected override IReadOnlyList<MemoryRange> Ranges(K210RemovePaddingBody b) =>
        [In("main_mem_in", b.MainMemIn, SaturatingMath.Mul(16, b.Channels)), Out("main_mem_out", b.MainMemOut, b.Channels)];

    protected override void Check(K210RemovePaddingBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(K210RemovePaddingBody b, StepContext context)
    {
        // The input tensor is 16 bytes a channel, but the runtime reads only up to the last channel's first byte.
        var c = context.Check;
        c.Main("main_mem_in (every 16th byte)", b.MainMemIn, b.Channels == 0 ? 0 : ((b.Channels - 1L) * 16) + 1);
        c.Main("main_mem_out", b.MainMemOut, b.Channels);
        return c.Failed ? null : new RemovePaddingStep(context.Index, b);
    }
}
