namespace Emc.Build.Tool;

/// <summary>
/// A resolved EmcModel item as the shared bookkeeping reads it: its path and its metadata by name ("" when unset).
/// The tool's items are <see cref="ModelItem"/>s; the task passes MSBuild items through a view of its own.
/// </summary>
internal interface IModelItem
{
    string ItemSpec { get; }

    string GetMetadata(string name);
}
