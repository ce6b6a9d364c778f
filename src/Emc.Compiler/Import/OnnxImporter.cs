using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Import;

/// <summary>
/// Imports an ONNX model as an IR <see cref="Graph"/>: static shapes (symbolic batch → <see cref="ImportOptions.BatchSize"/>),
/// operators resolved and validated for the model's opset, constant sub-graphs folded, Identity/Dropout removed.
/// Every problem is returned as a diagnostic; nothing is thrown for bad input.
/// </summary>
public static class OnnxImporter
{
    public static Result<Graph> Import(string path, ImportOptions? options = null)
    {
        var loaded = OnnxModelLoader.Load(path);
        return loaded.Value is null
            ? new Result<Graph>(null, loaded.Diagnostics)
            : Import(loaded.Value, path, options, loaded.Diagnostics);
    }

    /// <summary>Imports serialized model bytes; external data is resolved against <paramref name="baseDirectory"/>.</summary>
    public static Result<Graph> Import(ReadOnlyMemory<byte> model, string? path, string? baseDirectory, ImportOptions? options = null)
    {
        var loaded = OnnxModelLoader.Load(model, path, baseDirectory);
        return loaded.Value is null
            ? new Result<Graph>(null, loaded.Diagnostics)
            : Import(loaded.Value, path, options, loaded.Diagnostics);
    }

    /// <summary>Imports an already loaded model (external data must have been resolved by <see cref="OnnxModelLoader"/>).</summary>
    public static Result<Graph> Import(ModelProto model, string? path = null, ImportOptions? options = null) =>
        Import(model, path, options, []);

    /// <summary>Diagnostics of one code and severity listed per import; the rest are counted in one summary line.</summary>
    public const int MaxDiagnosticsPerCode = 20;

    private static Result<Graph> Import(ModelProto model, string? path, ImportOptions? options, IReadOnlyList<Diagnostic> earlier)
    {
        var (graph, diagnostics) = ImportCore(model, path, options, earlier);
        return new Result<Graph>(graph, diagnostics);
    }

    /// <summary>Like <see cref="Import(string, ImportOptions?)"/>, but with errors still returns the graph of the nodes
    /// that imported (see <see cref="ImportOptions.KeepPartialGraph"/>) so later stages can report on them too.</summary>
    internal static (Graph? Graph, IReadOnlyList<Diagnostic> Diagnostics) ImportPartial(string path, ImportOptions options)
    {
        var loaded = OnnxModelLoader.Load(path);
        return loaded.Value is null
            ? (null, loaded.Diagnostics)
            : ImportCore(loaded.Value, path, options with { KeepPartialGraph = true }, loaded.Diagnostics);
    }

    /// <summary>Like <see cref="ImportPartial(string, ImportOptions)"/> for an already loaded model.</summary>
    internal static (Graph? Graph, IReadOnlyList<Diagnostic> Diagnostics) ImportPartial(ModelProto model, string? path, ImportOptions options) =>
        ImportCore(model, path, options with { KeepPartialGraph = true }, []);

    private static (Graph? Graph, DiagnosticBag Diagnostics) ImportCore(ModelProto model, string? path, ImportOptions? options, IReadOnlyList<Diagnostic> earlier)
    {
        var diagnostics = new DiagnosticBag(MaxDiagnosticsPerCode);
        diagnostics.AddRange(earlier);
        Graph? graph = null;
        try
        {
            graph = new GraphBuilder(model, path, options ?? new ImportOptions(), diagnostics).Build();
        }
        catch (DiagnosticException e)
        {
            diagnostics.AddRange(e.Diagnostics);
        }

        diagnostics.Summarize(path);
        return (graph, diagnostics);
    }
}
