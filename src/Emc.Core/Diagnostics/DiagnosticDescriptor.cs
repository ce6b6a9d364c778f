namespace Emc.Diagnostics;

/// <summary>
/// One kind of user-facing problem: a stable code (<c>EMCnnnn</c>), its default severity and a short title.
/// Each pipeline stage declares its descriptors in one static class (e.g. <c>OnnxDiagnostics</c>);
/// docs/errors.md lists every code.
/// </summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title)
{
    public Diagnostic Create(string message, string? file = null, string? nodeName = null, string? opType = null)
        => new(Code, Severity, message, file, nodeName, opType);
}
