using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Split: output k, seen as [outer, its length·inner], is the column range of the input that starts after
/// the outputs before it.</summary>
internal sealed class SplitTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Split"];

    public string? Check(Node node, long opset) => node.Parameters is SplitParameters ? null : "no lengths";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (SplitParameters)node.Parameters!;
        var x = node.Inputs[0]!;
        int[] xDims = TailEmitter.Dims(x);
        long outer = xDims.Take(p.Axis).Aggregate(1L, (a, d) => a * d);
        long inner = xDims.Skip(p.Axis + 1).Aggregate(1L, (a, d) => a * d);
        long row = xDims[p.Axis] * inner;
        string rx = e.Ref(x);
        long column = 0;
        for (int k = 0; k < node.Outputs.Count; k++)
        {
            long width = p.Lengths[k] * inner;
            if (width > 0)
            {
                string ry = e.Ref(node.Outputs[k]);
                long start = column;
                e.ForEach([(int)outer, (int)width], i =>
                    e.Line($"{ry}[{TailEmitter.Offset(i, [width, 1])}] = {rx}[{TailEmitter.Offset(i, [row, 1], start)}];"));
            }

            column += width;
        }
    }
}
