using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>
/// Softmax and LogSoftmax over the input seen as [outer, axis, inner] — the shape the op's inference chose, so opset &lt; 13
/// (the trailing block from `axis` on) and opset ≥ 13 (the single axis) are both what ONNX says. As ONNX Runtime does:
/// m = max, s = Σ exp(x − m); y = exp(x − m) / s, or x − m − log(s).
/// </summary>
internal sealed class SoftmaxTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Softmax", "LogSoftmax"];

    public string? Check(Node node, long opset) => node.Parameters is SoftmaxParameters ? null : "no axis";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (SoftmaxParameters)node.Parameters!;
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        var l = e.Language;
        e.ForEach([p.Outer, p.Inner], i =>
        {
            long[] strides = [(long)p.AxisLength * p.Inner, 1, p.Inner];
            string at = TailEmitter.Offset([.. i, "k"], strides);
            e.Line($"float m = {x}[{TailEmitter.Offset([.. i, "0"], strides)}];");
            e.Line("float s = 0.0f;");
            e.For("k", p.AxisLength, () => e.Line($"m = {x}[{at}] > m ? {x}[{at}] : m;"));
            e.For("k", p.AxisLength, () => e.Line($"s += {l.Math("exp", $"{x}[{at}] - m")};"));
            e.For("k", p.AxisLength, () => e.Line(p.Log
                ? $"{y}[{at}] = {x}[{at}] - m - {l.Math("log", "s")};"
                : $"{y}[{at}] = {l.Math("exp", $"{x}[{at}] - m")} / s;"));
        });
    }
}
