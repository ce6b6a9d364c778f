using System.Globalization;

namespace Emc.Diagnostics;

/// <summary>
/// A user-facing problem. Every failure caused by input (a model, a dataset, options) is reported as one of
/// these; nothing else escapes the public APIs for bad input.
/// </summary>
/// <param name="Code">Stable code, <c>EMCnnnn</c>.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Message">One line, complete on its own (names the node, op and limit where there is one).</param>
/// <param name="File">The input file the problem is in, if any.</param>
/// <param name="NodeName">The ONNX node or kmodel layer concerned, if any.</param>
/// <param name="OpType">The ONNX op type or kmodel layer type concerned, if any.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    string? File = null,
    string? NodeName = null,
    string? OpType = null)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public Diagnostic WithFile(string? file) => File is null && file is not null ? this with { File = file } : this;

    /// <summary>
    /// MSBuild canonical format: <c>path: error EMC0101: message</c>, always one line: control characters in the
    /// path and message (e.g. from node names) are escaped (<see cref="DiagnosticText"/>).
    /// </summary>
    public override string ToString()
    {
        string severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        string prefix = string.IsNullOrEmpty(File) ? "emc" : DiagnosticText.Escape(File);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}: {severity} {Code}: {DiagnosticText.Escape(Message)}");
    }
}
