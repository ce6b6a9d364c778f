using Emc.Diagnostics;

namespace Emc.Compiler.Compilation;

/// <summary>The outcome of one compilation. <see cref="Kmodel"/> is null when any error was reported.</summary>
public sealed record CompileResult(
    byte[]? Kmodel,
    ModelInterface? Interface,
    CompileReport? Report,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>With <c>--tail auto</c> when the graph was cut: the part the CPU runs after the kmodel (generated as C and C#
    /// by the header and wrapper generators when <see cref="CodeGen.Tail.HostTail.IsGenerated"/>).</summary>
    public CodeGen.Tail.HostTail? Tail { get; init; }

    public bool Succeeded => Kmodel is not null && !Diagnostics.Any(d => d.IsError);
}
