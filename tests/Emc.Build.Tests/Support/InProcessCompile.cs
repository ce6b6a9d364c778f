extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tool;
using Microsoft.Build.Framework;

namespace Emc.Build.Tests.Support;

/// <summary>
/// The compile step without a process in between, for unit tests with scripted compilers: the request goes through
/// its text form, the tool's runner compiles, and its canonical output and result file are logged by the same code
/// EmcCompileModels uses (<see cref="ToolOutput"/>, <see cref="EmcCompileModels.ApplyResult"/>).
/// </summary>
internal sealed class InProcessCompile : Microsoft.Build.Utilities.Task
{
    public ITaskItem[] Models { get; set; } = [];

    public bool TreatWarningsAsErrors { get; set; }

    public bool ReplayDiagnostics { get; set; }

    /// <summary>The real compiler when null.</summary>
    public IModelCompiler? Compiler { get; set; }

    public override bool Execute()
    {
        string resultFile = Path.Combine(Path.GetTempPath(), "emc-test-" + Guid.NewGuid().ToString("N") + ".result");
        try
        {
            // The task's request text (its compiled-in ModelRequest), parsed by the tool's.
            string text = new tasks::Emc.Build.Tool.ModelRequest(TreatWarningsAsErrors, ReplayDiagnostics, [.. Models.Select(m => m.ToModelItem())]).Format();
            var request = ModelRequest.Parse(text, out string? error)
                ?? throw new InvalidOperationException(error);
            var output = new StringWriter();
            new ModelCompileRunner(Compiler ?? new KmodelCompilerAdapter(), output, resultFile).Run(request);
            foreach (string line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                ToolOutput.Log(Log, line.TrimEnd('\r'), MessageImportance.Normal);
            }

            EmcCompileModels.ApplyResult(Log, Models, resultFile);
            return !Log.HasLoggedErrors;
        }
        finally
        {
            File.Delete(resultFile);
        }
    }
}
