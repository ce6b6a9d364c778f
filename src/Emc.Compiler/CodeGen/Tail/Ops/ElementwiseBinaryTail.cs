using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Add, Sub, Mul, Div, Pow, PRelu with numpy broadcasting (opset-6 axis broadcasting as its inference
/// rewrote it): one loop nest over the output, each operand read with stride 0 along its broadcast dimensions.</summary>
internal sealed class ElementwiseBinaryTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Add", "Sub", "Mul", "Div", "Pow", "PRelu"];

    public string? Check(Node node, long opset) =>
        node.Inputs.Count != 2 || node.Inputs[0] is null || node.Inputs[1] is null ? "needs two inputs"
        : node.Outputs[0].Type != DataType.Float32 && node.OpType is "Div" or "Pow" or "PRelu" ? "integer " + node.OpType
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var (a, b, y) = (node.Inputs[0]!, node.Inputs[1]!, node.Outputs[0]);
        int[] yDims = TailEmitter.Dims(y);
        int[] aShape = TailEmitter.Dims(a), bShape = TailEmitter.Dims(b);
        if (node.Parameters is BinaryParameters p)
        {
            (aShape, bShape) = (p.AShape, p.BShape);
        }

        long[] sa = TailEmitter.BroadcastStrides(aShape, yDims.Length);
        long[] sb = TailEmitter.BroadcastStrides(bShape, yDims.Length);
        long[] sy = TailEmitter.Strides(yDims);
        string ra = e.Ref(a), rb = e.Ref(b), ry = e.Ref(y);
        e.ForEach(yDims, i =>
        {
            string va = $"{ra}[{TailEmitter.Offset(i, sa)}]", vb = $"{rb}[{TailEmitter.Offset(i, sb)}]";
            string value = node.OpType switch
            {
                "Add" => $"{va} + {vb}",
                "Sub" => $"{va} - {vb}",
                "Mul" => $"{va} * {vb}",
                "Div" => $"{va} / {vb}",
                "Pow" => e.Language.Math("pow", va, vb),
                _ => $"{va} < 0.0f ? {va} * {vb} : {va}",
            };
            e.Line($"{ry}[{TailEmitter.Offset(i, sy)}] = {value};");
        });
    }
}
