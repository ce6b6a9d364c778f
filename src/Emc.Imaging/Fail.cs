using Emc.Diagnostics;

namespace Emc.Imaging;

/// <summary>Builds the exceptions that carry decoder diagnostics up to <see cref="ImageDecoder"/>.</summary>
internal static class Fail
{
    public static DiagnosticException Corrupt(string message) => new(ImagingDiagnostics.Corrupt.Create(message));

    public static DiagnosticException Truncated(string format) => Corrupt($"{format} data ends unexpectedly");

    public static DiagnosticException With(DiagnosticDescriptor descriptor, string message) => new(descriptor.Create(message));
}
