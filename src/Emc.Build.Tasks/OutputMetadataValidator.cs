using Emc.Build.Tool;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>
/// Validates the EmcModel metadata that choose outputs rather than compile options (Access, CopyToOutputDirectory,
/// the true/false switches): a typo must be EMC0801 listing the accepted values, never a silent default.
/// </summary>
internal static class OutputMetadataValidator
{
    private static readonly string[] s_access = ["public", "internal"];

    // What MSBuild's copy logic understands (IfDifferent: .NET 9 SDK and newer).
    private static readonly string[] s_copy = ["Never", "PreserveNewest", "Always", "IfDifferent"];

    private static readonly string[] s_booleans = ["true", "false"];

    private static readonly string[] s_flags = [ModelMetadata.GenerateCHeader, ModelMetadata.GenerateCSharp, ModelMetadata.EmbedAsResource];

    private static readonly string[] s_report = ["true", "false", "Html"];

    public static void Validate(ITaskItem item, string file, TaskProblems problems)
    {
        Check(item, ModelMetadata.Access, s_access, file, problems);
        Check(item, ModelMetadata.CopyToOutputDirectory, s_copy, file, problems);
        foreach (string flag in s_flags)
        {
            Check(item, flag, s_booleans, file, problems);
        }

        Check(item, ModelMetadata.Report, s_report, file, problems);
    }

    private static void Check(ITaskItem item, string name, string[] accepted, string file, TaskProblems problems)
    {
        string value = item.GetMetadata(name);
        if (value.Length == 0 || accepted.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        problems.Add(TaskCodes.InvalidMetadata,
            $"EmcModel '{item.ItemSpec}': {name}='{value}' is invalid; expected {string.Join(", ", accepted)}", file);
    }
}
