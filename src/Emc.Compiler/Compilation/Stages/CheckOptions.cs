namespace Emc.Compiler.Compilation.Stages;

/// <summary>Options that no later stage checks.</summary>
internal sealed class CheckOptions : ICompileStage
{
    public static readonly CheckOptions Instance = new();

    public string Name => "check-options";

    public string Summary => "weight bits are 8 or 16";

    public bool Run(CompileState state)
    {
        if (state.Options.WeightBits is not (8 or 16))
        {
            state.Diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create($"weight bits must be 8 or 16, not {state.Options.WeightBits}", state.SourcePath));
            return false;
        }

        return true;
    }
}
