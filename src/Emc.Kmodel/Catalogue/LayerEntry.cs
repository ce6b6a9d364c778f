using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Catalogue;

/// <summary>
/// Everything the library knows about one kmodel layer type (or a family of codes sharing one body record):
/// its body layout, the memory it touches, its field rules and how the simulator runs it.
/// <see cref="LayerCatalogue"/> holds one per type; the reader, writer, validator and simulator ask it.
/// </summary>
internal abstract class LayerEntry
{
    /// <summary>The type codes whose bodies use <see cref="BodyType"/>.</summary>
    public abstract IReadOnlyList<KmodelLayerType> Types { get; }

    /// <summary>The body record the reader produces for these codes and the writer accepts.</summary>
    public abstract Type BodyType { get; }

    /// <summary>False only for the codes whose bodies are kept as raw bytes.</summary>
    public virtual bool HasKnownLayout => true;

    /// <summary>Whether the stock Kendryte SDK interpreter (kpu.c) executes this code.</summary>
    public abstract bool IsRunByStockSdk(KmodelLayerType type);

    /// <summary>Size rule and decode: the body and how many bytes its layout uses, or null after reporting an error.</summary>
    public abstract (LayerBody? Body, long ContentSize) Read(KmodelLayerType type, in BodySource source);

    /// <summary>Bytes the body's fields occupy when written (before padding).</summary>
    public abstract long ContentSize(LayerBody body);

    /// <summary>Encodes the body into its zeroed slot; <paramref name="bodyStart"/> is the slot's file offset.</summary>
    public abstract void Write(LayerBody body, Span<byte> slot, long bodyStart);

    /// <summary>The tensors the body declares it reads and writes (validation, inspection).</summary>
    public abstract IReadOnlyList<MemoryRange> Footprint(LayerBody body);

    /// <summary>Reports fields the runtime would divide by, mis-size or misread.</summary>
    public abstract void CheckFields(LayerBody body, FieldCheck check);

    /// <summary>Checks what the runtime would touch and builds the simulator step; null when it cannot run.</summary>
    public abstract SimulationStep? Prepare(LayerBody body, StepContext context);
}

/// <summary>An entry for one body record: the untyped calls cast once and forward to the typed parts.</summary>
internal abstract class LayerEntry<TBody> : LayerEntry
    where TBody : LayerBody
{
    public sealed override Type BodyType => typeof(TBody);

    public sealed override long ContentSize(LayerBody body) => Size((TBody)body);

    public sealed override void Write(LayerBody body, Span<byte> slot, long bodyStart) => Encode((TBody)body, slot, bodyStart);

    public sealed override IReadOnlyList<MemoryRange> Footprint(LayerBody body) => Ranges((TBody)body);

    public sealed override void CheckFields(LayerBody body, FieldCheck check) => Check((TBody)body, check);

    public sealed override SimulationStep? Prepare(LayerBody body, StepContext context) => Step((TBody)body, context);

    protected abstract long Size(TBody body);

    protected abstract void Encode(TBody body, Span<byte> slot, long bodyStart);

    protected abstract IReadOnlyList<MemoryRange> Ranges(TBody body);

    protected abstract void Check(TBody body, FieldCheck check);

    protected abstract SimulationStep? Step(TBody body, StepContext context);
}
