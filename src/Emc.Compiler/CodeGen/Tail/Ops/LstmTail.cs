using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>LSTM as <see cref="LstmKernel"/> computes it (same gate order, accumulation order and clipping), with the
/// state of one batch item in three stack arrays of hidden_size floats. Every step runs (no sequence_lens, or a
/// constant one equal to the sequence length).</summary>
internal sealed class LstmTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["LSTM"];

    public string? Check(Node node, long opset) =>
        node.Parameters is LstmParameters { Shape: var p } ? RecurrentTailCode.SequenceLensProblem(node, p.SeqLength) : "no shapes";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var lstm = (LstmParameters)node.Parameters!;
        var p = lstm.Shape;
        var l = e.Language;
        int hidden = p.Hidden, inputSize = p.InputSize, batch = p.Batch;
        string x = e.Ref(node.Inputs[0]!), w = e.Ref(node.Inputs[1]!), r = e.Ref(node.Inputs[2]!);
        string? bias = RecurrentTailCode.InputOrNull(node, e, 3), initialH = RecurrentTailCode.InputOrNull(node, e, 5);
        string? initialC = RecurrentTailCode.InputOrNull(node, e, 6), peepholes = RecurrentTailCode.InputOrNull(node, e, 7);
        string y = e.Ref(node.Outputs[0]);
        string? hLast = RecurrentTailCode.OutputOrNull(node, e, 1), cLast = RecurrentTailCode.OutputOrNull(node, e, 2);
        string Act(string name, string v) => RecurrentTailCode.Activate(l, name, v, p.Clip);

        e.Line(l.LocalFloats("h", hidden));
        e.Line(l.LocalFloats("c", hidden));
        e.Line(l.LocalFloats("hn", hidden));
        for (int d = 0; d < p.Directions; d++)
        {
            string f = p.Activations[3 * d], g = p.Activations[(3 * d) + 1], act = p.Activations[(3 * d) + 2];
            int wd = d * 4 * hidden * inputSize, rd = d * 4 * hidden * hidden, bd = d * 8 * hidden, pd = d * 3 * hidden;
            e.Comment(p.Backward(d) ? "backward direction" : "forward direction");
            e.For("b", batch, () =>
            {
                string state = $"({d} * {batch} + b) * {hidden} + j";
                e.For("j", hidden, () =>
                {
                    e.Line($"h[j] = {(initialH is null ? "0.0f" : $"{initialH}[{state}]")};");
                    e.Line($"c[j] = {(initialC is null ? "0.0f" : $"{initialC}[{state}]")};");
                });
                e.For("step", p.SeqLength, () =>
                {
                    e.Line(p.Backward(d) ? $"int t = {p.SeqLength - 1} - step;" : "int t = step;");
                    e.For("j", hidden, () =>
                    {
                        // Gate rows i, o, f, c of this unit: j, H + j, 2H + j, 3H + j.
                        string[] gate = ["gi", "go", "gf", "gc"];
                        for (int q = 0; q < 4; q++)
                        {
                            e.Line($"float {gate[q]} = 0.0f;");
                        }

                        e.For("k", inputSize, () =>
                        {
                            for (int q = 0; q < 4; q++)
                            {
                                e.Line($"{gate[q]} += {w}[{wd} + ({q * hidden} + j) * {inputSize} + k] * {x}[(t * {batch} + b) * {inputSize} + k];");
                            }
                        });
                        e.For("k", hidden, () =>
                        {
                            for (int q = 0; q < 4; q++)
                            {
                                e.Line($"{gate[q]} += {r}[{rd} + ({q * hidden} + j) * {hidden} + k] * h[k];");
                            }
                        });
                        if (bias is not null)
                        {
                            for (int q = 0; q < 4; q++)
                            {
                                e.Line($"{gate[q]} += {bias}[{bd + (q * hidden)} + j] + {bias}[{bd + ((4 + q) * hidden)} + j];");
                            }
                        }

                        string Peep(int q, string v) => peepholes is null ? v : $"{v} + {peepholes}[{pd + (q * hidden)} + j] * c[j]";
                        e.Line($"float ig = {Act(f, $"({Peep(0, "gi")})")};");
                        e.Line(lstm.InputForget ? "float fg = 1.0f - ig;" : $"float fg = {Act(f, $"({Peep(2, "gf")})")};");
                        e.Line($"float cg = {Act(g, "gc")};");
                        e.Line("c[j] = fg * c[j] + ig * cg;");
                        e.Line($"float og = {Act(f, $"({Peep(1, "go")})")};");
                        e.Line($"hn[j] = og * {RecurrentTailCode.Activate(l, act, "c[j]", float.PositiveInfinity)};");
                    });
                    e.For("j", hidden, () =>
                    {
                        e.Line("h[j] = hn[j];");
                        e.Line($"{y}[((t * {p.Directions} + {d}) * {batch} + b) * {hidden} + j] = hn[j];");
                    });
                });
                e.For("j", hidden, () =>
                {
                    if (hLast is not null)
                    {
                        e.Line($"{hLast}[{state}] = h[j];");
                    }

                    if (cLast is not null)
                    {
                        e.Line($"{cLast}[{state}] = c[j];");
                    }
                });
            });
        }
    }
}
