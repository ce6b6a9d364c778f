using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Gemm: y[m,n] = alpha·Σ_k A'[m,k]·B'[k,n] + beta·C[m,n] (A', B' transposed per transA/transB; C broadcast),
/// accumulated in float in k order.</summary>
internal sealed class GemmTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Gemm"];

    public string? Check(Node node, long opset) => node.Parameters is GemmParameters ? null : "no shapes";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (GemmParameters)node.Parameters!;
        var l = e.Language;
        string a = e.Ref(node.Inputs[0]!), b = e.Ref(node.Inputs[1]!), y = e.Ref(node.Outputs[0]);
        string aAt = p.TransA ? $"k * {p.M} + m" : $"m * {p.K} + k";
        string bAt = p.TransB ? $"n * {p.K} + k" : $"k * {p.N} + n";
        string bias = "";
        if (p.HasC && node.Inputs.Count > 2 && node.Inputs[2] is { } c)
        {
            long[] sc = TailEmitter.BroadcastStrides(p.CShape, 2);
            string scaled = p.Beta == 1f ? "" : $"{l.Float(p.Beta)} * ";
            bias = $" + {scaled}{e.Ref(c)}[{TailEmitter.Offset(["m", "n"], sc)}]";
        }

        string alpha = p.Alpha == 1f ? "" : $"{l.Float(p.Alpha)} * ";
        e.For("m", p.M, () => e.For("n", p.N, () =>
        {
            e.Line("float s = 0.0f;");
            e.For("k", p.K, () => e.Line($"s += {a}[{aAt}] * {b}[{bAt}];"));
            e.Line($"{y}[m * {p.N} + n] = {alpha}s{bias};");
        }));
    }
}
