using System.Text;
using Emc.Build.Tool;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// A run of the compiler tool (<c>dotnet exec Emc.Build.Tool.dll &lt;switches&gt; @&lt;request&gt;</c>): the resolved
/// models and all their metadata go in a response file (<see cref="ModelRequest"/>); each line the tool prints is
/// logged by <see cref="ToolOutput"/> (canonical lines as errors and warnings with code and file).
/// </summary>
public abstract class EmcToolTask : ToolTask
{
    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>Emc.Build.Tool.dll, or a stand-in with the same command line ($(EmcCompilerToolPath)).</summary>
    [Required]
    public string ToolAssembly { get; set; } = "";

    protected override string ToolName => DotnetHost.FileName;

    protected override Encoding ResponseFileEncoding => new UTF8Encoding(false);

    protected override Encoding StandardOutputEncoding => new UTF8Encoding(false);

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    /// <summary>The models the request carries (all of <see cref="Models"/> unless a task narrows them).</summary>
    private protected virtual IReadOnlyList<ITaskItem> RequestModels => Models;

    private protected virtual bool TreatWarningsAsErrorsInRequest => false;

    private protected virtual bool ReplayDiagnosticsInRequest => false;

    /// <summary>Why the tool cannot run (missing tool or dotnet), or null.</summary>
    private protected string? ToolProblem()
    {
        if (!File.Exists(ToolAssembly))
        {
            return $"the model compiler tool '{ToolAssembly}' does not exist (EmcCompilerToolPath)";
        }

        return GenerateFullPathToTool() is null ? $"cannot run the model compiler tool: no DOTNET_HOST_PATH and no {DotnetHost.FileName} on PATH" : null;
    }

    /// <summary>The switches after <c>exec &lt;tool&gt;</c>.</summary>
    private protected abstract void AppendToolSwitches(CommandLineBuilder builder);

    protected override string? GenerateFullPathToTool() => DotnetHost.Find();

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendSwitch("exec");
        builder.AppendFileNameIfNotNull(ToolAssembly);
        AppendToolSwitches(builder);
        return builder.ToString();
    }

    protected override string GenerateResponseFileCommands() =>
        new ModelRequest(TreatWarningsAsErrorsInRequest, ReplayDiagnosticsInRequest, [.. RequestModels.Select(m => m.ToModelItem())]).Format();

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance) =>
        ToolOutput.Log(Log, singleLine, messageImportance);
}
