using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>LRN across channels: y = x / (bias + alpha/size · Σ x²)^beta over the window of channels around c, summed
/// in float in channel order as the evaluator does.</summary>
internal sealed class LrnTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["LRN"];

    public string? Check(Node node, long opset) => node.Parameters is LrnParameters && node.Inputs[0]!.Shape!.Rank >= 2 ? null : "no parameters";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (LrnParameters)node.Parameters!;
        var l = e.Language;
        int[] x = TailEmitter.Dims(node.Inputs[0]!);
        int channels = x[1];
        long plane = x.Skip(2).Aggregate(1L, (a, d) => a * d);
        int before = (p.Size - 1) / 2, after = p.Size - 1 - before;
        string rx = e.Ref(node.Inputs[0]!), ry = e.Ref(node.Outputs[0]);
        string scale = l.Float(p.Alpha / p.Size);
        e.For("n", x[0], () => e.For("c", channels, () =>
        {
            e.Line($"int lo = c - {before} < 0 ? 0 : c - {before};");
            e.Line($"int hi = c + {after} > {channels - 1} ? {channels - 1} : c + {after};");
            e.For("i", plane, () =>
            {
                e.Line("float sum = 0.0f;");
                e.Open("for (int k = lo; k <= hi; k++)");
                e.Line($"float v = {rx}[(n * {channels} + k) * {plane} + i];");
                e.Line("sum += v * v;");
                e.Close();
                e.Line($"{ry}[(n * {channels} + c) * {plane} + i] = {rx}[(n * {channels} + c) * {plane} + i] / {l.Math("pow", $"{l.Float(p.Bias)} + {scale} * sum", l.Float(p.Beta))};");
            });
        }));
    }
}
