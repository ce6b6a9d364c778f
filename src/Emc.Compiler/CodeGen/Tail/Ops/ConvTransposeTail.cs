using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>2-D ConvTranspose as the evaluator computes it: each output plane starts at its bias, then every input value
/// of every input channel of its group is scattered through the kernel (taps landing outside the output dropped), in
/// (channel, tap row, tap column, input row, input column) order.</summary>
internal sealed class ConvTransposeTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["ConvTranspose"];

    public string? Check(Node node, long opset) => node.Parameters is ConvTransposeParameters ? null : "not a 2-D transposed convolution";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (ConvTransposeParameters)node.Parameters!;
        string x = e.Ref(node.Inputs[0]!), w = e.Ref(node.Inputs[1]!), y = e.Ref(node.Outputs[0]);
        string? bias = p.HasBias && node.Inputs.Count > 2 && node.Inputs[2] is { } b ? e.Ref(b) : null;
        int cPerGroup = p.InputChannels / p.Group, mPerGroup = p.OutputChannels / p.Group;
        int outPlane = p.OutputHeight * p.OutputWidth, inPlane = p.InputHeight * p.InputWidth, taps = p.KernelHeight * p.KernelWidth;
        e.For("n", p.Batch, () => e.For("o", p.OutputChannels, () =>
        {
            e.Line($"int plane = (n * {p.OutputChannels} + o) * {outPlane};");
            e.For("q", outPlane, () => e.Line($"{y}[plane + q] = {(bias is null ? "0.0f" : $"{bias}[o]")};"));
            e.For("cg", cPerGroup, () =>
            {
                e.Line($"int c = o / {mPerGroup} * {cPerGroup} + cg;");
                e.For("ky", p.KernelHeight, () => e.For("kx", p.KernelWidth, () =>
                {
                    e.Line($"float k = {w}[(c * {mPerGroup} + o % {mPerGroup}) * {taps} + ky * {p.KernelWidth} + kx];");
                    e.For("i", p.InputHeight, () =>
                    {
                        e.Line($"int oy = i * {p.StrideHeight} - {p.PadTop} + ky * {p.DilationHeight};");
                        e.Open($"if (oy >= 0 && oy < {p.OutputHeight})");
                        e.For("j", p.InputWidth, () =>
                        {
                            e.Line($"int ox = j * {p.StrideWidth} - {p.PadLeft} + kx * {p.DilationWidth};");
                            e.Open($"if (ox >= 0 && ox < {p.OutputWidth})");
                            e.Line($"{y}[plane + oy * {p.OutputWidth} + ox] += {x}[(n * {p.InputChannels} + c) * {inPlane} + i * {p.InputWidth} + j] * k;");
                            e.Close();
                        });
                        e.Close();
                    });
                }));
            });
        }));
    }
}
