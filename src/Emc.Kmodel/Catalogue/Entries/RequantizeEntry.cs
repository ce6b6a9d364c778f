using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>REQUANTIZE (13): uint8 → uint8 through a 256-entry table.</summary>
internal sealed class RequantizeEntry : FieldLayoutEntry<RequantizeBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.Requantize];

    protected override int FixedSize => RequantizeBody.LayoutSize;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override RequantizeBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body) =>
        new(f.U(1), f.U(2), f.U(3), body.Slice(16, RequantizeBody.TableLength).ToArray());

    protected override void Encode(RequantizeBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out, b.Count);
        w.Bytes(16, b.Table);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(RequantizeBody b) => [In("in", b.In, b.Count), Out("out", b.Out, b.Count)];

    protected override void Check(RequantizeBody b, FieldCheck check)
    {
        if (b.Table.Length != RequantizeBody.TableLength)
        {
            check.Invalid($"the table has {b.Table.Length} entries, not 256");
        }
    }

    protected override SimulationStep? Step(RequantizeBody b, StepContext context)
    {
        var c = context.Check;
        context.CheckMain(Ranges(b));
        c.Require(b.Table.Length == 256, SimulatorDiagnostics.LayerParameters, StepContext.Text($"table has {b.Table.Length} entries, not 256"));
        return c.Failed ? null : new RequantizeStep(context.Index, b);
    }
}
