using Emc.Compiler.Import;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.K210.Rewrites;
using Emc.Diagnostics;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Compilation;

/// <summary>
/// "Will it compile?" without calibrating: the import's diagnostics and the K210 lowering's (every node that imported
/// is lowered, as <see cref="KmodelCompiler.Compile(string, CompileOptions, Action{string}?)"/> does). Calibration,
/// quantization and memory planning are not run, so a model that passes can still fail there (e.g. EMC0506, EMC0510).
/// </summary>
public static class CompileCheck
{
    /// <summary>The imported graph (partial when import failed; null when nothing imported) and every diagnostic, once.</summary>
    public static (Ir.Graph? Graph, IReadOnlyList<Diagnostic> Diagnostics) Run(ModelProto model, string? path, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        var (graph, import) = OnnxImporter.ImportPartial(model, path, new ImportOptions { InputShapes = options.InputShapes });
        if (graph is null || graph.Inputs.Count == 0 || graph.Inputs.Any(i => i.Shape is null))
        {
            return (graph, import);
        }

        // The compile pipeline's IR rewrites before lowering (a ConvTranspose lowers only as its phase conv, a two-class
        // Softmax of a conv only as a Sigmoid), on a whole graph.
        bool partial = import.Any(d => d.IsError);
        var lowering = new DiagnosticBag();
        if (!partial)
        {
            Stages.LayerRewrites.Rewrite(graph);
            Stages.SplitStridedInputConv.Rewrite(graph, options, lowering);
        }
        else
        {
            LinearResizeAsNearestAndDepthwise.Run(graph, lowering); // node-local: its verdict holds on a partial graph too
        }

        GraphLowering.Lower(graph, options, lowering);

        // After import errors the lowering's own errors only (its notes would describe a graph that does not exist).
        var all = import.Concat(lowering.Where(d => !partial || d.IsError));
        return (graph, all.DistinctBy(d => d.ToString()).ToList());
    }
}
