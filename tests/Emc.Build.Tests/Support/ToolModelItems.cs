using System.Collections;
using Emc.Build.Tool;
using Microsoft.Build.Framework;

namespace Emc.Build.Tests;

/// <summary>
/// MSBuild items as the tool's <see cref="IModelItem"/> and <see cref="ModelItem"/>: the task has its own compiled-in
/// copies of these types (tasks::), so tests that hand items to tool code convert them here.
/// </summary>
internal static class ToolModelItems
{
    public static IModelItem AsToolModel(this ITaskItem item) => new View(item);

    public static ModelItem ToToolModelItem(this ITaskItem item)
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
