using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>CONCAT (16) and QUANTIZED_CONCAT (17): byte copies of (start, size) ranges, one after another.</summary>
internal sealed class ConcatEntry : FieldLayoutEntry<ConcatBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Concat, KmodelLayerType.QuantizedConcat];

    protected override int FixedSize => ConcatBody.FixedSize;

    protected override bool HasCounts => true;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override long SizeWithCounts(BodyFields f) => FixedSize + (8L * f.U(2));

    protected override ConcatBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body)
    {
        uint count = f.U(2);
        var inputs = new (uint Start, uint Size)[count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (f.U(3 + (2 * i)), f.U(4 + (2 * i)));
        }

        return new ConcatBody(type, f.U(1), inputs);
    }

    protected override long Size(ConcatBody b) => ConcatBody.FixedSize + (8L * b.Inputs.Count);

    protected override void Encode(ConcatBody b, BodyFieldWriter w)
    {
        w.U(1, b.Out, (uint)b.Inputs.Count);
        for (int i = 0; i < b.Inputs.Count; i++)
        {
            w.U(3 + (2 * i), b.Inputs[i].Start, b.Inputs[i].Size);
        }
    }

    protected override IReadOnlyList<MemoryRange> Ranges(ConcatBody b)
    {
        var ranges = new MemoryRange[b.Inputs.Count + 1];
        long total = 0;
        for (int i = 0; i < b.Inputs.Count; i++)
        {
            var (start, size) = b.Inputs[i];
            ranges[i] = In($"input[{i}]", start, size);
            total = SaturatingMath.Add(total, size);
        }

        ranges[^1] = Out("out", b.Out, total);
        return ranges;
    }

    protected override void Check(ConcatBody b, FieldCheck check) => check.TypeIsOneOf(KmodelLayerType.Concat, KmodelLayerType.QuantizedConcat);

    protected override SimulationStep? Step(ConcatBody b, StepContext context)
    {
        var c = context.Check;

        // The footprint's ranges under the simulator's own names, the total without the 2^52 cap.
        long total = 0;
        for (int i = 0; i < b.Inputs.Count; i++)
        {
            c.Main(StepContext.Text($"input {i}"), b.Inputs[i].Start, b.Inputs[i].Size);
            total += b.Inputs[i].Size;
        }

        c.Main("out", b.Out, total);
        return c.Failed ? null : new ConcatStep(context.Index, b);
    }
}
