using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>GRU as <see cref="GruKernel"/> computes it (gate order z, r, h; same accumulation order, clipping and
/// linear_before_reset), with the state of one batch item in stack arrays of hidden_size floats. Every step runs (no
/// sequence_lens, or a constant one equal to the sequence length).</summary>
internal sealed class GruTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["GRU"];

    public string? Check(Node node, long opset) =>
        node.Parameters is GruParameters { Shape: var p } ? RecurrentTailCode.SequenceLensProblem(node, p.SeqLength) : "no shapes";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var gru = (GruParameters)node.Parameters!;
        var p = gru.Shape;
        var l = e.Language;
        int hidden = p.Hidden, inputSize = p.InputSize, batch = p.Batch;
        string x = e.Ref(node.Inputs[0]!), w = e.Ref(node.Inputs[1]!), r = e.Ref(node.Inputs[2]!);
        string? bias = RecurrentTailCode.InputOrNull(node, e, 3), initialH = RecurrentTailCode.InputOrNull(node, e, 5);
        string y = e.Ref(node.Outputs[0]);
        string? hLast = RecurrentTailCode.OutputOrNull(node, e, 1);
        string Act(string name, string v) => RecurrentTailCode.Activate(l, name, v, p.Clip);
        foreach (string local in gru.LinearBeforeReset ? ["h", "hn", "z", "rg"] : new[] { "h", "hn", "z", "rg", "gated" })
        {
            e.Line(l.LocalFloats(local, hidden));
        }

        for (int d = 0; d < p.Directions; d++)
        {
            string f = p.Activations[2 * d], g = p.Activations[(2 * d) + 1];
            int wd = d * 3 * hidden * inputSize, rd = d * 3 * hidden * hidden, bd = d * 6 * hidden;
            string B(int part) => $"{bias}[{bd + (part * hidden)} + j]";
            e.Comment(p.Backward(d) ? "backward direction" : "forward direction");
            e.For("b", batch, () =>
            {
                string state = $"({d} * {batch} + b) * {hidden} + j";
                e.For("j", hidden, () => e.Line($"h[j] = {(initialH is null ? "0.0f" : $"{initialH}[{state}]")};"));
                e.For("step", p.SeqLength, () =>
                {
                    e.Line(p.Backward(d) ? $"int t = {p.SeqLength - 1} - step;" : "int t = step;");
                    string xAt = $"{x}[(t * {batch} + b) * {inputSize} + k]";
                    e.For("j", hidden, () =>
                    {
                        e.Line("float gz = 0.0f;");
                        e.Line("float gr = 0.0f;");
                        e.For("k", inputSize, () =>
                        {
                            e.Line($"gz += {w}[{wd} + j * {inputSize} + k] * {xAt};");
                            e.Line($"gr += {w}[{wd + (hidden * inputSize)} + j * {inputSize} + k] * {xAt};");
                        });
                        e.For("k", hidden, () =>
                        {
                            e.Line($"gz += {r}[{rd} + j * {hidden} + k] * h[k];");
                            e.Line($"gr += {r}[{rd + (hidden * hidden)} + j * {hidden} + k] * h[k];");
                        });
                        if (bias is not null)
                        {
                            e.Line($"gz += {B(0)} + {B(3)};");
                            e.Line($"gr += {B(1)} + {B(4)};");
                        }

                        e.Line($"z[j] = {Act(f, "gz")};");
                        e.Line($"rg[j] = {Act(f, "gr")};");
                        if (!gru.LinearBeforeReset)
                        {
                            e.Line("gated[j] = rg[j] * h[j];");
                        }
                    });
                    e.For("j", hidden, () =>
                    {
                        e.Line("float s = 0.0f;");
                        e.For("k", inputSize, () => e.Line($"s += {w}[{wd + (2 * hidden * inputSize)} + j * {inputSize} + k] * {xAt};"));
                        string rRow = $"{r}[{rd + (2 * hidden * hidden)} + j * {hidden} + k]";
                        if (gru.LinearBeforeReset)
                        {
                            e.Line("float rh = 0.0f;");
                            e.For("k", hidden, () => e.Line($"rh += {rRow} * h[k];"));
                            e.Line(bias is null ? "s = s + rg[j] * rh;" : $"s = s + rg[j] * (rh + {B(5)}) + {B(2)};");
                        }
                        else
                        {
                            e.For("k", hidden, () => e.Line($"s += {rRow} * gated[k];"));
                            if (bias is not null)
                            {
                                e.Line($"s = s + {B(5)} + {B(2)};");
                            }
                        }

                        e.Line($"float cand = {Act(g, "s")};");
                        e.Line("hn[j] = (1.0f - z[j]) * cand + z[j] * h[j];");
                    });
                    e.For("j", hidden, () =>
                    {
                        e.Line("h[j] = hn[j];");
                        e.Line($"{y}[((t * {p.Directions} + {d}) * {batch} + b) * {hidden} + j] = hn[j];");
                    });
                });
                if (hLast is not null)
                {
                    e.For("j", hidden, () => e.Line($"{hLast}[{state}] = h[j];"));
                }
            });
        }
    }
}
