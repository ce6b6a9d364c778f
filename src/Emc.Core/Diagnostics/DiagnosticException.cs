namespace Emc.Diagnostics;

/// <summary>
/// Carries diagnostics out of deep code to the public API boundary, which catches it and returns the
/// diagnostics. Never let it escape a public entry point.
/// </summary>
public sealed class DiagnosticException : Exception
{
    public DiagnosticException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    public DiagnosticException(IReadOnlyList<Diagnostic> diagnostics)
        : base(diagnostics.Count > 0 ? diagnostics[0].Message : "diagnostics")
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
