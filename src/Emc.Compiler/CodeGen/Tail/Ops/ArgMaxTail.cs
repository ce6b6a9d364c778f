using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>ArgMax over one axis of [outer, axis, inner] (keepdims only changes the shape); the first maximum, or the
/// last with select_last_index. int64 output, as ONNX says.</summary>
internal sealed class ArgMaxTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["ArgMax"];

    public string? Check(Node node, long opset) =>
        node.Parameters is not ArgMaxParameters ? "no axis" : node.Inputs[0]!.Type != DataType.Float32 ? "not float32" : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (ArgMaxParameters)node.Parameters!;
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        string compare = p.SelectLast ? ">=" : ">";
        e.ForEach([p.Outer, p.Inner], i =>
        {
            long[] strides = [(long)p.AxisLength * p.Inner, 1, p.Inner];
            string at = TailEmitter.Offset([.. i, "k"], strides), best = TailEmitter.Offset([.. i, "best"], strides);
            e.Line("int best = 0;");
            e.For("k", p.AxisLength, () => e.Line($"best = {x}[{at}] {compare} {x}[{best}] ? k : best;"));
            e.Line($"{y}[{TailEmitter.Offset(i, [p.Inner, 1])}] = best;");
        });
    }
}
