using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel;

/// <summary>
/// The memory regions each layer reads and writes, worked out from its fields (spec §3, §4.1, §5.8):
/// uint8 tensors for K210 and quantized layers, float32 (4 bytes) otherwise. Each layer type's
/// catalogue entry owns its footprint.
/// </summary>
public static class LayerMemory
{
    public static IReadOnlyList<MemoryRange> Ranges(LayerBody body) => LayerCatalogue.For(body)?.Footprint(body) ?? [];
}
