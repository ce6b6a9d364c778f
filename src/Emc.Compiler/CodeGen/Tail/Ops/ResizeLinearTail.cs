using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>
/// Linear Resize/Upsample of the last two axes (any factor, e.g. a segmentation net's final ×7.79 upsampling), as the float
/// evaluator computes it: output index o blends input indices low[o] and high[o] by weight[o] (constant tables), height
/// first and then width, in float — the same operations in the same order.
/// </summary>
internal sealed class ResizeLinearTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Resize", "Upsample"];

    public string? Check(Node node, long opset) =>
        node.Parameters is not LinearResizeParameters p ? "only mode linear is generated"
        : p.Axes.Length < 2 || p.Axes.Take(p.Axes.Length - 2).Any(a => !a.IsIdentity) ? "resizes an axis other than the last two"
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (LinearResizeParameters)node.Parameters!;
        int rank = p.Axes.Length;
        var (ay, ax) = (p.Axes[rank - 2], p.Axes[rank - 1]);
        int[] yDims = TailEmitter.Dims(node.Outputs[0]);
        int outer = (int)yDims.Take(rank - 2).Aggregate(1L, (a, d) => a * d);
        long inPlane = (long)ay.InputLength * ax.InputLength, outPlane = (long)ay.OutputLength * ax.OutputLength;
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        var (ly, hy, wy) = Tables(node, "height", ay, e);
        var (lx, hx, wx) = Tables(node, "width", ax, e);

        // x[b, r, c] with r and c given as expressions.
        string At(string b, string r, string c) => $"{x}[{b} * {inPlane} + ({r}) * {ax.InputLength} + ({c})]";

        e.ForEach([outer, ay.OutputLength, ax.OutputLength], i =>
        {
            string to = TailEmitter.Offset(i, [outPlane, ax.OutputLength, 1]);
            string rLow = ay.IsIdentity ? i[1] : $"(int){ly}[{i[1]}]", rHigh = ay.IsIdentity ? i[1] : $"(int){hy}[{i[1]}]";
            string cLow = ax.IsIdentity ? i[2] : $"(int){lx}[{i[2]}]", cHigh = ax.IsIdentity ? i[2] : $"(int){hx}[{i[2]}]";
            string Rows(string c) => ay.IsIdentity ? At(i[0], i[1], c) : $"(1.0f - {wy}[{i[1]}]) * {At(i[0], rLow, c)} + {wy}[{i[1]}] * {At(i[0], rHigh, c)}";
            if (ax.IsIdentity)
            {
                e.Line($"{y}[{to}] = {Rows(i[2])};");
                return;
            }

            e.Open("");
            e.Line($"float t0 = {Rows(cLow)};");
            e.Line($"float t1 = {Rows(cHigh)};");
            e.Line($"{y}[{to}] = (1.0f - {wx}[{i[2]}]) * t0 + {wx}[{i[2]}] * t1;");
            e.Close();
        }, "r");
    }

    /// <summary>The axis's index and weight tables as constants (none for an identity axis).</summary>
    private static (string Low, string High, string Weight) Tables(Node node, string name, LinearAxis axis, TailEmitter e)
    {
        if (axis.IsIdentity)
        {
            return ("", "", "");
        }

        var n = new Shape(axis.OutputLength);
        string low = e.Ref(new Value($"{node.Name}/{name}_low", DataType.Int64, n) { Constant = Tensor.Create(n, axis.Low.Select(v => (long)v).ToArray()) });
        string high = e.Ref(new Value($"{node.Name}/{name}_high", DataType.Int64, n) { Constant = Tensor.Create(n, axis.High.Select(v => (long)v).ToArray()) });
        string weight = e.Ref(new Value($"{node.Name}/{name}_weight", DataType.Float32, n) { Constant = Tensor.Create(n, axis.Weight) });
        return (low, high, weight);
    }
}
