using Emc.Kmodel;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Reads the emitted bytes back with the validating reader: what the compiler writes, the reader accepts.</summary>
internal sealed class VerifyKmodel : ICompileStage
{
    public static readonly VerifyKmodel Instance = new();

    public string Name => "verify-kmodel";

    public string Summary => "the emitted bytes pass the validating kmodel reader (offsets, sizes, registers, memory ranges)";

    public bool Run(CompileState state)
    {
        var check = KmodelReader.Read(state.Bytes!);
        if (check.Value is null)
        {
            foreach (var d in check.Diagnostics.Where(d => d.IsError))
            {
                state.Diagnostics.Add(CompilerDiagnostics.EmittedModelInvalid.Create($"emitted kmodel rejected by the reader: {d.Message}", state.SourcePath));
            }

            return false;
        }

        state.Kmodel = check.Value;
        return true;
    }
}
