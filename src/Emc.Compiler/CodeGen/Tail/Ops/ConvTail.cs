using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>2-D Conv (NCHW, OIHW weights, groups, strides, dilations, pads as its inference resolved them): per output
/// value, the float sum over the taps inside the input in (channel, row, column) order, then the bias.</summary>
internal sealed class ConvTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Conv"];

    public string? Check(Node node, long opset) => node.Parameters is ConvParameters ? null : "not a 2-D convolution";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (ConvParameters)node.Parameters!;
        var g = p.Geometry;
        string x = e.Ref(node.Inputs[0]!), w = e.Ref(node.Inputs[1]!), y = e.Ref(node.Outputs[0]);
        string? bias = p.HasBias && node.Inputs.Count > 2 && node.Inputs[2] is { } b ? e.Ref(b) : null;
        int icpg = g.InputChannelsPerGroup, ocpg = g.OutputChannelsPerGroup;
        e.For("n", g.Batch, () => e.For("oc", g.OutputChannels, () => e.For("oh", g.OutputHeight, () => e.For("ow", g.OutputWidth, () =>
        {
            e.Line("float s = 0.0f;");
            e.For("ic", icpg, () => e.For("kh", g.KernelHeight, () =>
            {
                e.Line($"int ih = oh * {g.StrideHeight} - {g.PadTop} + kh * {g.DilationHeight};");
                e.Open($"if (ih >= 0 && ih < {g.InputHeight})");
                e.For("kw", g.KernelWidth, () =>
                {
                    e.Line($"int iw = ow * {g.StrideWidth} - {g.PadLeft} + kw * {g.DilationWidth};");
                    e.Open($"if (iw >= 0 && iw < {g.InputWidth})");
                    e.Line($"s += {x}[((n * {g.InputChannels} + oc / {ocpg} * {icpg} + ic) * {g.InputHeight} + ih) * {g.InputWidth} + iw]"
                        + $" * {w}[((oc * {icpg} + ic) * {g.KernelHeight} + kh) * {g.KernelWidth} + kw];");
                    e.Close();
                });
                e.Close();
            }));
            string at = $"((n * {g.OutputChannels} + oc) * {g.OutputHeight} + oh) * {g.OutputWidth} + ow";
            e.Line(bias is null ? $"{y}[{at}] = s;" : $"{y}[{at}] = s + {bias}[oc];");
        }))));
    }
}
