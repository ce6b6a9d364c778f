namespace Emc.Kmodel.Catalogue;

/// <summary>
/// The one entry per kmodel layer type. Bodies are looked up by their record (a family record such as
/// <see cref="ConcatBody"/> serves two codes); codes by the entry that lists them. The list is explicit
/// rather than found by reflection so that trimming an app that references this library keeps every entry.
/// </summary>
internal static class LayerCatalogue
{
    private static readonly LayerEntry[] KnownLayouts =
    [
        new AddEntry(),
        new QuantizedAddEntry(),
        new GlobalAveragePool2DEntry(),
        new Pool2DEntry(),
        new QuantizedMaxPool2DEntry(),
        new QuantizeEntry(),
        new DequantizeEntry(),
        new RequantizeEntry(),
        new L2NormalizationEntry(),
        new SoftmaxEntry(),
        new ConcatEntry(),
        new FullyConnectedEntry(),
        new TensorflowFlattenEntry(),
        new ResizeNearestNeighborEntry(),
        new ChannelwiseDequantizeEntry(),
        new LogisticEntry(),
        new K210ConvEntry(),
        new K210AddPaddingEntry(),
        new K210RemovePaddingEntry(),
        new K210UploadEntry(),
    ];

    private static readonly LayerEntry[] AllEntries = [.. KnownLayouts, new UnknownLayoutEntry(KnownLayouts)];

    private static readonly Dictionary<KmodelLayerType, LayerEntry> ByType =
        AllEntries.SelectMany(e => e.Types.Select(t => (t, e))).ToDictionary(p => p.t, p => p.e);

    private static readonly Dictionary<Type, LayerEntry> ByBody = AllEntries.ToDictionary(e => e.BodyType);

    public static IReadOnlyList<LayerEntry> Entries => AllEntries;

    /// <summary>The entry for a type code; null for codes the enumeration does not name.</summary>
    public static LayerEntry? For(KmodelLayerType type) => ByType.GetValueOrDefault(type);

    /// <summary>The entry for a body's record; null for a record this library does not define.</summary>
    public static LayerEntry? For(LayerBody body) => ByBody.GetValueOrDefault(body.GetType());
}
