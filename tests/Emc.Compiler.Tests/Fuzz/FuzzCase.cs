using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Fuzz;

/// <summary>One fuzz input through every public stage that accepts it (loader → importer → evaluator); records how far
/// it got, its diagnostic codes and the bytes it allocated on this thread.</summary>
internal static class FuzzCase
{
    /// <summary>Graphs whose planned values exceed this many elements are not evaluated (import alone is the test).</summary>
    private const long MaxEvaluatedElements = 4_000_000;

    public sealed record Outcome(string Stage, IReadOnlyList<string> Codes, long AllocatedBytes, Exception? Exception);

    public static Outcome Run(byte[] bytes, string path, string directory)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string stage = "load";
        var codes = new List<string>();
        try
        {
            Result<ModelProto> loaded = OnnxModelLoader.Load(bytes, path, directory);
            codes.AddRange(loaded.Diagnostics.Select(d => d.Code));
            if (loaded.Value is null)
            {
                return Done("rejected by loader", null);
            }

            stage = "import";
            Result<Graph> imported = OnnxImporter.Import(loaded.Value, path);
            codes.AddRange(imported.Diagnostics.Select(d => d.Code));
            if (imported.Value is null)
            {
                return Done("rejected by importer", null);
            }

            Graph graph = imported.Value;
            long planned = graph.Nodes.SelectMany(n => n.Outputs).Sum(v => v.Shape?.ElementCount ?? 0) +
                graph.Inputs.Sum(v => v.Shape?.ElementCount ?? 0);
            if (planned > MaxEvaluatedElements)
            {
                return Done("imported (too large to evaluate)", null);
            }

            stage = "evaluate";
            Result<ReferenceEvaluator> evaluator = ReferenceEvaluator.Create(graph);
            codes.AddRange(evaluator.Diagnostics.Select(d => d.Code));
            if (evaluator.Value is null)
            {
                return Done("rejected by evaluator", null);
            }

            var inputs = graph.Inputs.Select(v => Tensor.Zeros(v.Type, v.Shape!)).ToList();
            Result<IReadOnlyList<Tensor>> run = evaluator.Value.TryRun(inputs);
            codes.AddRange(run.Diagnostics.Select(d => d.Code));
            return Done(run.Value is null ? "rejected at run" : "evaluated", null);
        }
        catch (Exception e)
        {
            return Done(stage, e);
        }

        Outcome Done(string reached, Exception? e) =>
            new(reached, codes, GC.GetAllocatedBytesForCurrentThread() - before, e);
    }
}
