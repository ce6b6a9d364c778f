using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Tile: output index i along axis a reads input index i mod (input length along a).</summary>
internal sealed class TileTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Tile"];

    public string? Check(Node node, long opset) => null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var (x, y) = (node.Inputs[0]!, node.Outputs[0]);
        int[] xDims = TailEmitter.Dims(x), yDims = TailEmitter.Dims(y);
        long[] sx = TailEmitter.Strides(xDims), sy = TailEmitter.Strides(yDims);
        string rx = e.Ref(x), ry = e.Ref(y);
        e.ForEach(yDims, i =>
        {
            var source = i.Select((index, a) => xDims[a] == yDims[a] || index == "0" ? index : xDims[a] == 1 ? "0" : $"{index} % {xDims[a]}").ToArray();
            e.Line($"{ry}[{TailEmitter.Offset(i, sy)}] = {rx}[{TailEmitter.Offset(source, sx)}];");
        });
    }
}
