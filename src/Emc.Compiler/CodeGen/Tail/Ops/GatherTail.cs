using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Gather with constant indices (negative ones resolved here): the data seen as [outer, n, inner]; output block
/// j copies block indices[j] (a few indices: one copy loop each; more: a constant index table).</summary>
internal sealed class GatherTail : ITailOpGenerator
{
    /// <summary>Up to this many indices are written as one copy loop each; more read a constant index table.</summary>
    private const int UnrolledIndices = 4;

    public IReadOnlyList<string> OpTypes { get; } = ["Gather"];

    public string? Check(Node node, long opset) =>
        node.Parameters is not GatherParameters ? "no axis"
        : node.Inputs[1]?.Constant is null ? "indices are not constant"
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        int axis = ((GatherParameters)node.Parameters!).Axis;
        var x = node.Inputs[0]!;
        int[] xDims = TailEmitter.Dims(x);
        long outer = xDims.Take(axis).Aggregate(1L, (a, d) => a * d);
        long inner = xDims.Skip(axis + 1).Aggregate(1L, (a, d) => a * d);
        int n = xDims[axis];
        long[] indices = node.Inputs[1]!.Constant!.ToInt64Array();
        string rx = e.Ref(x), ry = e.Ref(node.Outputs[0]);
        long[] resolved = indices.Select(i => i < 0 ? i + n : i).ToArray();
        if (resolved.Length > UnrolledIndices)
        {
            var table = new Value(node.Name + "/indices", DataType.Int64, new Shape(resolved.Length)) { Constant = Tensor.Create(new Shape(resolved.Length), resolved) };
            string rt = e.Ref(table);
            e.ForEach([(int)outer, resolved.Length, (int)inner], i =>
                e.Line($"{ry}[{TailEmitter.Offset(i, [resolved.Length * inner, inner, 1])}] = {rx}[{TailEmitter.Offset([i[0], $"(int){rt}[{i[1]}]", i[2]], [n * inner, inner, 1])}];"),
                "g");
            return;
        }

        for (int j = 0; j < resolved.Length; j++)
        {
            e.Comment(string.Create(CultureInfo.InvariantCulture, $"index {j}: {resolved[j]}"));
            e.ForEach([(int)outer, (int)inner], i =>
                e.Line($"{ry}[{TailEmitter.Offset(i, [resolved.Length * inner, 1], j * inner)}] = {rx}[{TailEmitter.Offset(i, [n * inner, 1], resolved[j] * inner)}];"),
                "g");
        }
    }
}
