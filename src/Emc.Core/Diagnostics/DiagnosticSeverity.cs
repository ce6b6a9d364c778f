namespace Emc.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}
