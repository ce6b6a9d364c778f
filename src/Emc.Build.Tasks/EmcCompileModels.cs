using Emc.Build.Tool;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// Compiles the stale resolved EmcModel items (see <see cref="EmcResolveModels"/>) in ONE run of the compiler tool
/// (<c>dotnet exec Emc.Build.Tool.dll</c>), so no compiler code loads into MSBuild. The request (models and all
/// their metadata) goes in a response file; diagnostics come back as canonical lines on the tool's output
/// (<see cref="ToolOutput"/>), per-model results through a result file. Cancelling the build kills the tool;
/// every model it did not report as done then loses its outputs, so nothing half-written survives.
/// </summary>
public sealed class EmcCompileModels : EmcToolTask
{
    private string _resultFile = "";

    /// <summary>Report warnings as errors (EmcTreatWarningsAsErrors).</summary>
    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>
    /// Leave the warnings and notes of successful models to <see cref="EmcReplayDiagnostics"/> (which the targets run
    /// after this task on every build) instead of logging them here too. They are recorded either way.
    /// </summary>
    public bool ReplayDiagnostics { get; set; }

    private protected override bool TreatWarningsAsErrorsInRequest => TreatWarningsAsErrors;

    private protected override bool ReplayDiagnosticsInRequest => ReplayDiagnostics;

    public override bool Execute()
    {
        _resultFile = Path.Combine(Path.GetTempPath(), "emc-" + Guid.NewGuid().ToString("N") + ".result");
        try
        {
            return base.Execute() & Finish();
        }
        finally
        {
            File.Delete(_resultFile);
        }
    }

    protected override bool ValidateParameters()
    {
        if (ToolProblem() is { } problem)
        {
            Log.LogError(null, TaskCodes.CompilerUnavailable, null, Models.FirstOrDefault()?.ItemSpec, 0, 0, 0, 0, problem);
            return false;
        }

        return true;
    }

    private protected override void AppendToolSwitches(CommandLineBuilder builder) => builder.AppendSwitchIfNotNull("--result ", _resultFile);

    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
        {
            // The tool always reports why it fails; no report means it crashed (its stderr is above) or was killed.
            Log.LogError(null, TaskCodes.InternalError, null, Models.FirstOrDefault()?.ItemSpec, 0, 0, 0, 0,
                $"the model compiler tool exited with code {ExitCode} without reporting an error");
        }

        return false;
    }

    private bool Finish()
    {
        ApplyResult(Log, Models, _resultFile);
        return !Log.HasLoggedErrors;
    }

    /// <summary>Logs the summaries; removes what a model the tool did not finish may have left.</summary>
    internal static void ApplyResult(TaskLoggingHelper log, IReadOnlyList<ITaskItem> models, string resultFile)
    {
        var (done, messages) = ResultFile.Read(resultFile);
        foreach (string message in messages)
        {
            log.LogMessage(MessageImportance.High, "{0}", message);
        }

        for (int i = 0; i < models.Count; i++)
        {
            if (!done.Contains(i))
            {
                UnfinishedOutputs.Remove(models[i], log);
            }
        }
    }
}
