using System.Collections;
using Emc.Build.Tool;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>MSBuild items for the bookkeeping shared with the tool (<see cref="IModelItem"/>).</summary>
internal static class TaskItemModel
{
    /// <summary>A live view: reads the item's metadata as it is when asked.</summary>
    public static IModelItem AsModel(this ITaskItem item) => new View(item);

    /// <summary>A copy of the item's path and custom metadata, as a request carries it to the tool.</summary>
    public static ModelItem ToModelItem(this ITaskItem item)
    {
        var copy = new ModelItem(item.ItemSpec);
        foreach (DictionaryEntry entry in item.CloneCustomMetadata())
        {
            copy.SetMetadata((string)entry.Key, (string?)entry.Value ?? "");
        }

        return copy;
    }

    private sealed class View(ITaskItem item) : IModelItem
    {
        public string ItemSpec => item.ItemSpec;

        public string GetMetadata(string name) => item.GetMetadata(name);
    }
}
