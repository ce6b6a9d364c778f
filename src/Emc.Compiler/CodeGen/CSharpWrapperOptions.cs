namespace Emc.Compiler.CodeGen;

/// <summary>How the C# wrapper is shaped (names are already sanitized by the caller or here).</summary>
/// <param name="ResourceName">When set, the blob is read from this manifest resource instead of inline data.</param>
/// <param name="Public">public (default) or internal class.</param>
/// <param name="DesignTimePlaceholder">Same members, compile-dependent values zero: IntelliSense before the first build.</param>
public sealed record CSharpWrapperOptions(
    string Namespace,
    string ClassName,
    string? ResourceName = null,
    bool Public = true,
    bool DesignTimePlaceholder = false,
    bool Utf8Literal = true);
