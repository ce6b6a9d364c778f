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
    ];

    private static readonly Dictionary<string, ITailOpGenerator> s_byOp =
        s_all.SelectMany(g => g.OpTypes.Select(op => (op, g))).ToDictionary(p => p.op, p => p.g, StringComparer.Ordinal);

    public static IReadOnlyList<string> OpTypes => s_byOp.Keys.Order(StringComparer.Ordinal).ToList();

    public static ITailOpGenerator? Find(Node node) => node.Domain.Length == 0 || node.Domain == "ai.onnx" ? s_byOp.GetValueOrDefault(node.OpType) : null;

    /// <summary>Every reason the tail cannot be generated; empty when it can.</summary>
    public static IReadOnlyList<string> Check(HostTail tail)
    {
        var problems = new List<string>();
        foreach (var node in tail.Nodes)
        {
            string? why = Find(node) is not { } generator ? "no C/C# generator"
                : node.Inputs.Concat(node.Outputs).Any(v => v is not null && !Storable(v)) ? "a tensor without a static float32/int64 shape"
                : generator.Check(node, tail.Opset);
            if (why is not null)
            {
                problems.Add($"{node.OpType} '{node.Name}' ({why})");
            }
        }

        if (tail.InputValues.Concat(tail.OutputValues).Any(v => !Storable(v)))
        {
            problems.Add("an input or output without a static float32/int64 shape");
        }

        return problems;
    }

    private static bool Storable(Value v) => v.Shape is not null && v.Type is (DataType.Float32 or DataType.Int64);
}
