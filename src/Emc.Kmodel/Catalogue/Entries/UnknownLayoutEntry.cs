using System.Buffers.Binary;
using System.Globalization;
using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Catalogue;

/// <summary>
/// Every named code no other entry claims (today 0, 3, 4, 6, 10, 19): the body is kept as raw bytes so the file
/// still reads and round-trips; nothing is known of its memory or fields, and neither the SDK nor the simulator runs it.
/// </summary>
internal sealed class UnknownLayoutEntry(IEnumerable<LayerEntry> known) : LayerEntry<RawLayerBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } =
        Enum.GetValues<KmodelLayerType>().Except(known.SelectMany(e => e.Types)).ToArray();

    public override bool HasKnownLayout => false;

    public override bool IsRunByStockSdk(KmodelLayerType type) => false;

    public override (LayerBody? Body, long ContentSize) Read(KmodelLayerType type, in BodySource source)
    {
        var body = source.Body;
        source.Report(KmodelDiagnostics.LayoutUnknown, type, string.Create(CultureInfo.InvariantCulture,
            $"no body layout is known for this type and the SDK does not run it; its {source.Declared} bytes are kept as they are"));
        uint flags = body.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(body) : 0;
        return (new RawLayerBody(type, body.ToArray()) { Flags = flags }, body.Length);
    }

    protected override long Size(RawLayerBody b) => b.Bytes.Length;

    protected override void Encode(RawLayerBody b, Span<byte> slot, long bodyStart) => b.Bytes.CopyTo(slot);

    protected override IReadOnlyList<MemoryRange> Ranges(RawLayerBody b) => [];

    protected override void Check(RawLayerBody b, FieldCheck check)
    {
    }

    protected override SimulationStep? Step(RawLayerBody b, StepContext context) => context.Unsupported(b);
}
