using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>ReduceMean: per output element, the double sum of its input elements in index order, divided by their count,
/// as the evaluator computes it.</summary>
internal sealed class ReduceMeanTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["ReduceMean"];

    public string? Check(Node node, long opset) => node.Parameters is ReduceParameters ? null : "no axes";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (ReduceParameters)node.Parameters!;
        var x = node.Inputs[0]!;
        int[] xDims = TailEmitter.Dims(x);
        long[] sx = TailEmitter.Strides(xDims);
        int[] kept = Enumerable.Range(0, xDims.Length).Where(a => !p.Axes.Contains(a)).ToArray();
        int[] keptDims = kept.Select(a => xDims[a]).ToArray(), reducedDims = p.Axes.Select(a => xDims[a]).ToArray();
        long count = Math.Max(1, reducedDims.Aggregate(1L, (a, d) => a * d));
        string rx = e.Ref(x), ry = e.Ref(node.Outputs[0]);
        e.ForEach(keptDims, o =>
        {
            e.Line("double s = 0.0;");
            e.ForEach(reducedDims, r =>
            {
                var index = new string[xDims.Length];
                for (int k = 0; k < kept.Length; k++)
                {
                    index[kept[k]] = o[k];
                }

                for (int k = 0; k < p.Axes.Length; k++)
                {
                    index[p.Axes[k]] = r[k];
                }

                e.Line($"s += {rx}[{TailEmitter.Offset(index, sx)}];");
            }, "r");
            e.Line($"{ry}[{TailEmitter.Offset(o, TailEmitter.Strides(keptDims))}] = (float)(s / {count});");
        }, "o");
    }
}
