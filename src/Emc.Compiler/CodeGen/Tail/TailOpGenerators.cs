using Emc.Compiler.CodeGen.Tail.Ops;
using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>The op generators of the CPU tail, by op type.</summary>
internal static class TailOpGenerators
{
    private static readonly ITailOpGenerator[] s_all =
    [
        new ElementwiseBinaryTail(),
        new UnaryTail(),
        new CopyTail(),
        new SliceTail(),
        new GatherTail(),
        new ConcatTail(),
        new TransposeTail(),
        new SoftmaxTail(),
        new ArgMaxTail(),
        new GemmTail(),
        new BatchNormTail(),
        new ConvTail(),
        new PoolTail(),
        new MatMulTail(),
        new ResizeLinearTail(),
        new ResizeNearestTail(),
        new LstmTail(),
        new GruTail(),
        new BroadcastTail(),
        new TileTail(),
        new SplitTail(),
        new PadTail(),
        new ReduceMeanTail(),
        new DepthToSpaceTail(),
        new LrnTail(),
        new ConvTransposeTail(),
        new CastTail(),
        new BooleanTail(),
    ];

    private static readonly ILookup<string, ITailOpGenerator> s_byOp = s_all.SelectMany(g => g.OpTypes.Select(op => (op, g))).ToLookup(p => p.op, p => p.g, StringComparer.Ordinal);

    public static IReadOnlyList<string> OpTypes => s_byOp.Select(g => g.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The generator for the node: of those for its op type (Resize has one per mode), the first that accepts it,
    /// else the last (whose <see cref="ITailOpGenerator.Check"/> says why not).</summary>
    public static ITailOpGenerator? Find(Node node, long opset) =>
        node.Domain.Length != 0 && node.Domain != "ai.onnx" || !s_byOp.Contains(node.OpType) ? null
        : s_byOp[node.OpType].FirstOrDefault(g => g.Check(node, opset) is null) ?? s_byOp[node.OpType].Last();

    /// <summary>Every reason the tail cannot be generated; empty when it can.</summary>
    public static IReadOnlyList<string> Check(HostTail tail)
    {
        var problems = new List<string>();
        foreach (var node in tail.Nodes)
        {
            string? why = Find(node, tail.Opset) is not { } generator ? "no C/C# generator"
                : node.Inputs.Concat(node.Outputs).Any(v => v is not null && !Storable(v)) ? "a tensor without a static float32/int64/bool shape"
                : generator.Check(node, tail.Opset);
            if (why is not null)
            {
                problems.Add($"{node.OpType} '{node.Name}' ({why})");
            }
        }

        if (tail.InputValues.Concat(tail.OutputValues).Any(v => !Storable(v) || v.Type == DataType.Bool))
        {
            problems.Add("an input or output without a static float32/int64 shape");
        }

        return problems;
    }

    private static bool Storable(Value v) => v.Shape is not null && v.Type is (DataType.Float32 or DataType.Int64 or DataType.Bool);
}
