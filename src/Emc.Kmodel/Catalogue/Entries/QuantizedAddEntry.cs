using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>QUANTIZED_ADD (2): uint8 add with offsets, multipliers and shifts (spec §4.1).</summary>
internal sealed class QuantizedAddEntry : FieldLayoutEntry<QuantizedAddBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.QuantizedAdd];

    protected override int FixedSize => QuantizedAddBody.LayoutSize;

    /// <summary>kpu.c processes the count rounded up to 8: it reads and writes up to 7 bytes past each tensor.</summary>
    public static long Processed(QuantizedAddBody b) => SaturatingMath.RoundUp(b.Count, 8);

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override QuantizedAddBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3), f.U(4), f.I(5), f.I(6), f.I(7), f.I(8), f.I(9), f.I(10), f.I(11), f.I(12), f.I(13));

    protected override void Encode(QuantizedAddBody b, BodyFieldWriter w)
    {
        w.U(1, b.InA, b.InB, b.Out, b.Count);
        w.I(5, b.AOffset, b.AMul, b.AShift, b.BOffset, b.BMul, b.BShift, b.OutOffset, b.OutMul, b.OutShift);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(QuantizedAddBody b) =>
    [
        In("in_a", b.InA, b.Count, rounded: true),
        In("in_b", b.InB, b.Count, rounded: true),
        Out("out", b.Out, b.Count, rounded: true),
    ];

    protected override void Check(QuantizedAddBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(QuantizedAddBody b, StepContext context)
    {
        var c = context.Check;
        foreach (var range in Ranges(b))
        {
            c.Main($"{range.Name} (count rounded up to 8)", range.Start, Processed(b));
        }

        foreach ((string name, int shift) in new[] { ("a_shift", b.AShift), ("b_shift", b.BShift), ("out_shift", b.OutShift) })
        {
            c.Require(shift is >= 0 and <= 63, SimulatorDiagnostics.LayerParameters, StepContext.Text($"{name} {shift} is not a shift of 0–63"));
        }

        return c.Failed ? null : new QuantizedAddStep(context.Index, b);
    }
}
