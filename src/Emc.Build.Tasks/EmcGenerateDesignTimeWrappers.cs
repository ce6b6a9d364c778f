using Emc.Build.Tool;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// Design-time builds (IDE IntelliSense) must not compile models, yet must see each wrapper class. A model with
/// GenerateCSharp whose wrapper is missing or older than the model or its options stamp goes to ONE run of the tool in
/// its design-time mode (<c>--design-time</c>: reads the graph's inputs and outputs only, keeps a wrapper whose
/// members still match, else writes a placeholder); up-to-date wrappers start no process. Problems are warnings at
/// most: the real build gives the errors.
/// </summary>
public sealed class EmcGenerateDesignTimeWrappers : EmcToolTask
{
    private List<ITaskItem> _stale = [];

    private protected override IReadOnlyList<ITaskItem> RequestModels => _stale;

    public override bool Execute()
    {
        _stale = [.. Models.Where(m => ModelSwitches.Flag(m.AsModel(), ModelMetadata.GenerateCSharp, false) && !IsUpToDate(m))];
        if (_stale.Count == 0)
        {
            return true;
        }

        if (ToolProblem() is { } problem)
        {
            Log.LogWarning(null, TaskCodes.CompilerUnavailable, null, _stale[0].ItemSpec, 0, 0, 0, 0, "no design-time wrapper: " + problem);
            return true;
        }

        base.Execute();
        return !Log.HasLoggedErrors;
    }

    private protected override void AppendToolSwitches(CommandLineBuilder builder) => builder.AppendSwitch("--design-time");

    protected override bool HandleTaskExecutionErrors()
    {
        Log.LogWarning(null, TaskCodes.InternalError, null, _stale[0].ItemSpec, 0, 0, 0, 0,
            $"no design-time wrapper: the model compiler tool exited with code {ExitCode}");
        return true;
    }

    /// <summary>The wrapper is at least as new as the model and its options stamp (a real build or an earlier design-time one wrote it).</summary>
    private static bool IsUpToDate(ITaskItem model)
    {
        var wrapper = new FileInfo(model.GetMetadata(ModelMetadata.CSharpFile));
        return wrapper.Exists
            && new[] { model.ItemSpec, model.GetMetadata(ModelMetadata.OptionsFile) }
                .Where(p => p.Length > 0)
                .All(p => !File.Exists(p) || File.GetLastWriteTimeUtc(p) <= wrapper.LastWriteTimeUtc);
    }
}
