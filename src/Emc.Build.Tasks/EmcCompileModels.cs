using System.Text;
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
public sealed class EmcCompileModels : ToolTask
{
    private string _resultFile = "";

    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>Emc.Build.Tool.dll, or a stand-in with the same command line ($(EmcCompilerToolPath)).</summary>
    [Required]
    public string ToolAssembly { get; set; } = "";

    /// <summary>Report warnings as errors (EmcTreatWarningsAsErrors).</summary>
    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>
    /// Leave the warnings and notes of successful models to <see cref="EmcReplayDiagnostics"/> (which the targets run
    /// after this task on every build) instead of logging them here too. They are recorded either way.
    /// </summary>
    public bool ReplayDiagnostics { get; set; }

    protected override string ToolName => DotnetHost.FileName;

    protected override Encoding ResponseFileEncoding => new UTF8Encoding(false);

    protected override Encoding StandardOutputEncoding => new UTF8Encoding(false);

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

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

    protected override string? GenerateFullPathToTool() => DotnetHost.Find();

    protected override bool ValidateParameters()
    {
        if (!File.Exists(ToolAssembly))
        {
            Log.LogError(null, BuildDiagnostics.CompilerUnavailable.Code, null, Models.FirstOrDefault()?.ItemSpec, 0, 0, 0, 0,
                $"the model compiler tool '{ToolAssembly}' does not exist (EmcCompilerToolPath)");
            return false;
        }

        if (GenerateFullPathToTool() is null)
        {
            Log.LogError(null, BuildDiagnostics.CompilerUnavailable.Code, null, Models.FirstOrDefault()?.ItemSpec, 0, 0, 0, 0,
                $"cannot run the model compiler tool: no DOTNET_HOST_PATH and no {DotnetHost.FileName} on PATH");
            return false;
        }

        return true;
    }

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendSwitch("exec");
        builder.AppendFileNameIfNotNull(ToolAssembly);
        builder.AppendSwitchIfNotNull("--result ", _resultFile);
        return builder.ToString();
    }

    protected override string GenerateResponseFileCommands() =>
        new ModelRequest(TreatWarningsAsErrors, ReplayDiagnostics, [.. Models.Select(m => m.ToModelItem())]).Format();

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance) =>
        ToolOutput.Log(Log, singleLine, messageImportance);

    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
        {
            // The tool always reports why it fails; no report means it crashed (its stderr is above) or was killed.
            Log.LogError(null, BuildDiagnostics.InternalError.Code, null, Models.FirstOrDefault()?.ItemSpec, 0, 0, 0, 0,
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
