using Emc.Diagnostics;

namespace Emc.Compiler.Compilation;

/// <summary>The outcome of one compilation. <see cref="Kmodel"/> is null when any error was reported.</summary>
public sealed record CompileResult(
    byte[]? Kmodel,
    ModelInterface? Interface,
    CompileReport? Report,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Kmodel is not null && !Diagnostics.Any(d => d.IsError);
}
