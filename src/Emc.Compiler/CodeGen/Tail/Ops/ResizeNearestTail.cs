using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Nearest Resize/Upsample, any axes: output index o of a resized axis reads input index map[o], the map the
/// op's inference computed (coordinate mode and rounding applied), as a constant table; other axes read straight.</summary>
internal sealed class ResizeNearestTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Resize", "Upsample"];

    public string? Check(Node node, long opset) => node.Parameters is NearestResizeParameters ? null : "only modes nearest and linear are generated";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (NearestResizeParameters)node.Parameters!;
        int[] xDims = TailEmitter.Dims(node.Inputs[0]!), yDims = TailEmitter.Dims(node.Outputs[0]);
        long[] xStrides = TailEmitter.Strides(xDims), yStrides = TailEmitter.Strides(yDims);
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        var maps = new string?[xDims.Length];
        for (int d = 0; d < xDims.Length; d++)
        {
            int[] map = p.SourceIndex[d];
            if (map.Length != xDims[d] || map.Where((s, o) => s != o).Any())
            {
                var n = new Shape(map.Length);
                maps[d] = e.Ref(new Value($"{node.Name}/axis{d}_source", DataType.Int64, n) { Constant = Tensor.Create(n, map.Select(v => (long)v).ToArray()) });
            }
        }

        e.ForEach(yDims, i =>
        {
            var source = i.Select((index, d) => maps[d] is { } m ? $"(int){m}[{index}]" : index).ToArray();
            e.Line($"{y}[{TailEmitter.Offset(i, yStrides)}] = {x}[{TailEmitter.Offset(source, xStrides)}];");
        });
    }
}
