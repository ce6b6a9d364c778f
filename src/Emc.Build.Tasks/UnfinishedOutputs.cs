using Emc.Build.Tasks.Files;
using Emc.Build.Tool;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// A model the tool did not report as done (it failed, or the tool was killed mid-way by a cancelled build) keeps
/// none of its outputs and none of the temporary files an interrupted atomic write leaves
/// (<c>.&lt;name&gt;.&lt;random&gt;.tmp</c> beside each output): the next build compiles it from scratch.
/// </summary>
internal static class UnfinishedOutputs
{
    private static readonly string[] s_outputs =
    [
        ModelMetadata.MarkerFile, ModelMetadata.DiagnosticsFile, ModelMetadata.KmodelFile, ModelMetadata.HeaderFile,
        ModelMetadata.CSharpFile, ModelMetadata.ReportFile,
    ];

    public static void Remove(ITaskItem model, TaskLoggingHelper log)
    {
        try
        {
            foreach (string path in s_outputs.Select(model.GetMetadata).Where(p => p.Length > 0))
            {
                OutputFiles.DeleteIfExists(path);
                string? folder = Path.GetDirectoryName(path);
                if (folder is not null && Directory.Exists(folder))
                {
                    foreach (string temp in Directory.EnumerateFiles(folder, "." + Path.GetFileName(path) + ".*.tmp"))
                    {
                        File.Delete(temp);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogMessage(MessageImportance.Normal, "Emc: cannot remove the outputs of {0}: {1}", model.ItemSpec, e.Message);
        }
    }
}
