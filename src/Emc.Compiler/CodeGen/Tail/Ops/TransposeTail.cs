using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Transpose: output index (i0…in) reads the input at Σ i_k·stride[perm[k]].</summary>
internal sealed class TransposeTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Transpose"];

    public string? Check(Node node, long opset) => node.Parameters is TransposeParameters ? null : "no permutation";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (TransposeParameters)node.Parameters!;
        var y = node.Outputs[0];
        int[] yDims = TailEmitter.Dims(y);
        long[] sy = TailEmitter.Strides(yDims);
        string rx = e.Ref(node.Inputs[0]!), ry = e.Ref(y);
        e.ForEach(yDims, i => e.Line($"{ry}[{TailEmitter.Offset(i, sy)}] = {rx}[{TailEmitter.Offset(i, p.InputSteps)}];"));
    }
}
