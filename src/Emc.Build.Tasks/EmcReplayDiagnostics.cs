using Emc.Build.Tool;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>
/// Logs each compiled model's recorded warnings and notes (<see cref="DiagnosticsFile"/>) on every build, whether
/// or not the model was recompiled: warnings survive incremental builds, and EmcTreatWarningsAsErrors or
/// WarningsAsErrors set later fail the build without a clean.
/// </summary>
public sealed class EmcReplayDiagnostics : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    public bool TreatWarningsAsErrors { get; set; }

    public override bool Execute()
    {
        foreach (var model in Models)
        {
            if (File.Exists(model.GetMetadata(ModelMetadata.MarkerFile)))
            {
                foreach (var diagnostic in DiagnosticsFile.Read(model.GetMetadata(ModelMetadata.DiagnosticsFile)))
                {
                    ToolOutput.Log(Log, diagnostic, TreatWarningsAsErrors);
                }
            }
        }

        return !Log.HasLoggedErrors;
    }
}
