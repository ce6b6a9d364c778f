using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>MaxPool and AveragePool over NCHW planes (geometry as inference resolved it, ceil mode included), and the
/// global pools, as the float evaluator computes them: taps outside the input are skipped; the average divides by the
/// taps inside the input, or inside the padded input with count_include_pad.</summary>
internal sealed class PoolTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"];

    public string? Check(Node node, long opset) =>
        node.OpType.StartsWith("Global", StringComparison.Ordinal) ? (TailEmitter.Dims(node.Inputs[0]!).Length >= 3 ? null : "rank below 3")
        : node.Parameters is not PoolParameters ? "not a 2-D pool"
        : node.Outputs.Count > 1 && node.Outputs[1].Consumers.Count > 0 ? "its indices are used"
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        var l = e.Language;
        if (node.OpType.StartsWith("Global", StringComparison.Ordinal))
        {
            int[] dims = TailEmitter.Dims(node.Inputs[0]!);
            long plane = dims.Skip(2).Aggregate(1L, (a, d) => a * d);
            bool max = node.OpType == "GlobalMaxPool";
            e.For("p", (long)dims[0] * dims[1], () =>
            {
                e.Line($"float s = {(max ? $"{x}[p * {plane}]" : "0.0f")};");
                e.For("k", plane, () => e.Line(max ? $"s = {x}[p * {plane} + k] > s ? {x}[p * {plane} + k] : s;" : $"s += {x}[p * {plane} + k];"));
                e.Line(max ? $"{y}[p] = s;" : $"{y}[p] = s / {l.Float(plane)};");
            });
            return;
        }

        var pp = (PoolParameters)node.Parameters!;
        var g = pp.Geometry;
        bool average = node.OpType == "AveragePool";
        e.For("p", g.Planes, () => e.For("oh", g.OutputHeight, () => e.For("ow", g.OutputWidth, () =>
        {
            e.Line(average ? "float s = 0.0f;" : $"float s = {l.Float(float.NegativeInfinity)};");
            string count = pp.CountIncludePad ? "padded" : "inside";
            if (average)
            {
                e.Line($"int {count} = 0;");
            }

            e.For("kh", g.KernelHeight, () => e.For("kw", g.KernelWidth, () =>
            {
                e.Line($"int ih = oh * {g.StrideHeight} - {g.PadTop} + kh * {g.DilationHeight};");
                e.Line($"int iw = ow * {g.StrideWidth} - {g.PadLeft} + kw * {g.DilationWidth};");
                if (average && pp.CountIncludePad)
                {
                    e.Line($"padded += ih >= -{g.PadTop} && ih < {g.InputHeight + g.PadBottom} && iw >= -{g.PadLeft} && iw < {g.InputWidth + g.PadRight} ? 1 : 0;");
                }

                e.Open($"if (ih >= 0 && ih < {g.InputHeight} && iw >= 0 && iw < {g.InputWidth})");
                string v = $"{x}[(p * {g.InputHeight} + ih) * {g.InputWidth} + iw]";
                if (average)
                {
                    e.Line($"s += {v};");
                    if (!pp.CountIncludePad)
                    {
                        e.Line("inside++;");
                    }
                }
                else
                {
                    // NaN propagates, as in ONNX Runtime.
                    e.Line($"s = {v} > s || {v} != {v} ? {v} : s;");
                }

                e.Close();
            }));
            string at = $"(p * {g.OutputHeight} + oh) * {g.OutputWidth} + ow";
            e.Line(average ? $"{y}[{at}] = {count} == 0 ? 0.0f : s / (float){count};" : $"{y}[{at}] = s;");
        })));
    }
}
