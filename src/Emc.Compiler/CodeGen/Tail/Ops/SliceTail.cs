using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Slice with constant starts/ends/axes/steps (negative ones and clamping resolved by its inference): output
/// index i along axis a reads input index start[a] + i·step[a].</summary>
internal sealed class SliceTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Slice"];

    public string? Check(Node node, long opset) => node.Parameters is SliceParameters ? null : "starts/ends not constant";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (SliceParameters)node.Parameters!;
        var x = node.Inputs[0]!;
        var y = node.Outputs[0];
        long[] inStrides = TailEmitter.Strides(TailEmitter.Dims(x));
        long origin = 0;
        var steps = new long[inStrides.Length];
        for (int a = 0; a < inStrides.Length; a++)
        {
            origin += p.Starts[a] * inStrides[a];
            steps[a] = p.Steps[a] * inStrides[a];
        }

        int[] yDims = TailEmitter.Dims(y);
        long[] sy = TailEmitter.Strides(yDims);
        string rx = e.Ref(x), ry = e.Ref(y);
        e.ForEach(yDims, i => e.Line($"{ry}[{TailEmitter.Offset(i, sy)}] = {rx}[{TailEmitter.Offset(i, steps, origin)}];"));
    }
}
