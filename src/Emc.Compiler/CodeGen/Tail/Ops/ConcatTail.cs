using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Concat: each input, seen as [outer, its axis length·inner], is copied into its column range of the output.</summary>
internal sealed class ConcatTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Concat"];

    public string? Check(Node node, long opset) => node.Parameters is ConcatParameters ? null : "no axis";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        int axis = ((ConcatParameters)node.Parameters!).Axis;
        var y = node.Outputs[0];
        int[] yDims = TailEmitter.Dims(y);
        long outer = yDims.Take(axis).Aggregate(1L, (a, d) => a * d);
        long inner = yDims.Skip(axis + 1).Aggregate(1L, (a, d) => a * d);
        long row = yDims[axis] * inner;
        string ry = e.Ref(y);
        long column = 0;
        foreach (var x in node.Inputs)
        {
            long width = TailEmitter.Dims(x!)[axis] * inner;
            if (width == 0)
            {
                continue;
            }

            string rx = e.Ref(x!);
            e.ForEach([(int)outer, (int)width], i =>
                e.Line($"{ry}[{TailEmitter.Offset(i, [row, 1], column)}] = {rx}[{TailEmitter.Offset(i, [width, 1])}];"));
            column += width;
        }
    }
}
