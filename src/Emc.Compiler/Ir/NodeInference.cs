using Emc.Diagnostics;

namespace Emc.Compiler.Ir;

/// <summary>For IR rewrites that add nodes after import: resolve a new node's operator and infer its shapes and
/// parameters, and build the nodes they add with their constant inputs.</summary>
internal static class NodeInference
{
    /// <summary>Resolves <paramref name="node"/>'s operator and runs its inference; false when the operator refused it.</summary>
    public static bool TryInfer(Graph graph, Node node, DiagnosticBag diagnostics)
    {
        node.Operator = OperatorRegistry.Default.Find(node.Domain, node.OpType);
        var context = new InferenceContext(node, graph.OpsetVersion, graph.SourcePath, diagnostics);
        node.Operator!.Infer(context);
        return !context.Failed;
    }

    /// <summary>
    /// An (opset ≥ 10) Slice of the two spatial axes of <paramref name="input"/>, rows and columns from
    /// <paramref name="starts"/> to <paramref name="ends"/> in <paramref name="steps"/>, with its constant inputs.
    /// </summary>
    public static Node SpatialSlice(string name, Value input, Value output, (long Y, long X) starts, (long Y, long X) ends, (long Y, long X) steps) =>
        new(name, "Slice", "",
            [input, Int64Constant(name + "_starts", starts.Y, starts.X), Int64Constant(name + "_ends", ends.Y, ends.X), Int64Constant(name + "_axes", 2, 3),
                Int64Constant(name + "_steps", steps.Y, steps.X)],
            [output], new Dictionary<string, NodeAttribute>(StringComparer.Ordinal));

    private static Value Int64Constant(string name, params long[] values)
    {
        var shape = new Shape([values.Length]);
        return new Value(name, DataType.Int64, shape) { Constant = Tensor.Create(shape, values) };
    }
}
