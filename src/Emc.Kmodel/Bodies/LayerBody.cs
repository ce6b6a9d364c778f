namespace Emc.Kmodel;

/// <summary>
/// A layer body (spec §4.1). Every body starts with <c>flags</c>; only K210_CONV interprets it, the others
/// keep whatever the producer wrote so that files round-trip. Addresses are main-buffer byte offsets unless
/// named <c>KpuMem*</c> (64-byte KPU units).
/// </summary>
public abstract record LayerBody
{
    protected LayerBody()
    {
    }

    protected LayerBody(uint flags)
    {
        Flags = flags;
    }

    public abstract KmodelLayerType Type { get; }

    public uint Flags { get; init; }
}
