namespace Emc.Build.Tool;

/// <summary>A resolved EmcModel item as the tool receives it in a request: its path and its metadata.</summary>
internal sealed class ModelItem(string itemSpec) : IModelItem
{
    private readonly SortedDictionary<string, string> _metadata = new(StringComparer.OrdinalIgnoreCase);

    public string ItemSpec { get; } = itemSpec;

    /// <summary>Metadata names, sorted (the request lists them so: same item, same text).</summary>
    public IEnumerable<string> MetadataNames => _metadata.Keys;

    public string GetMetadata(string name) => _metadata.TryGetValue(name, out string? value) ? value : "";

    public void SetMetadata(string name, string value) => _metadata[name] = value;
}
