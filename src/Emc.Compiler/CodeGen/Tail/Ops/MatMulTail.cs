using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>MatMul (numpy: 1-D operands promoted, batch dimensions broadcast): per batch, y[m,n] = Σ_k a[m,k]·b[k,n]
/// accumulated in float in k order, at the batch offsets its inference computed.</summary>
internal sealed class MatMulTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["MatMul"];

    public string? Check(Node node, long opset) => node.Parameters is MatMulParameters ? null : "no shapes";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (MatMulParameters)node.Parameters!;
        string a = e.Ref(node.Inputs[0]!), b = e.Ref(node.Inputs[1]!), y = e.Ref(node.Outputs[0]);
        for (int batch = 0; batch < p.AOffsets.Length; batch++)
        {
            long ao = p.AOffsets[batch], bo = p.BOffsets[batch], yo = (long)batch * p.M * p.N;
            e.For("m", p.M, () => e.For("n", p.N, () =>
            {
                e.Line("float s = 0.0f;");
                e.For("k", p.K, () => e.Line($"s += {a}[{TailEmitter.Offset(["m", "k"], [p.K, 1], ao)}] * {b}[{TailEmitter.Offset(["k", "n"], [p.N, 1], bo)}];"));
                e.Line($"{y}[{TailEmitter.Offset(["m", "n"], [p.N, 1], yo)}] = s;");
            }));
        }
    }
}
