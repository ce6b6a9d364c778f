using Emc.Compiler.Compilation;

namespace Emc.Compiler.CodeGen;

/// <summary>One row of the per-layer table in generated headers (on-device debugging and profiling).</summary>
/// <param name="Placement">Where the layer reads and writes: "kpu", "main" or "kpu->main".</param>
public sealed record LayerFacts(
    int Index,
    string LayerType,
    bool OnKpu,
    IReadOnlyList<int> InputShape,
    IReadOnlyList<int> OutputShape,
    string Placement);

/// <summary>Everything a code generator needs about one compiled model.</summary>
/// <param name="Identifier">Sanitized name shared by C and C# (see <see cref="CodeIdentifiers"/>).</param>
/// <param name="SourceName">The model's file name as the user wrote it (only ever emitted escaped).</param>
public sealed record GeneratedModel(
    string Identifier,
    string SourceName,
    byte[] Kmodel,
    ModelInterface Interface,
    IReadOnlyList<LayerFacts> Layers,
    uint MainMemoryUsage,
    string Sha256)
{
    /// <summary>The ONNX graph's part after the kmodel's outputs (<c>--tail auto</c>); generated when it can be.</summary>
    public Tail.HostTail? Tail { get; init; }

    public static string HashOf(ReadOnlySpan<byte> kmodel) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(kmodel)).ToLowerInvariant();
}
