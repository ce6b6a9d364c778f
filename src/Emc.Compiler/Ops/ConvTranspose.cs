using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>
/// A resolved 2-D transposed convolution: input x[N, C, H, W], weights W[C, M/group, kH, kW], output y[N, M, OH, OW]
/// with y[o, i·s_h − pad_top + ky·d_h, j·s_w − pad_left + kx·d_w] += x[c, i, j]·W[c, o, ky, kx] (taps that land
/// outside the output are dropped). Pads are the ones the output shape implies (explicit, auto_pad or output_shape).
/// </summary>
internal sealed record ConvTransposeParameters(
    int Batch,
    int InputChannels,
    int InputHeight,
    int InputWidth,
    int OutputChannels,
    int OutputHeight,
    int OutputWidth,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PadTop,
    int PadLeft,
    int DilationHeight,
    int DilationWidth,
    int Group,
    bool HasBias);

/// <summary>ConvTranspose (opsets 1–22), 2-D only: groups, strides, dilations, pads, output_padding, auto_pad and
/// output_shape (ONNX's pad split: SAME_UPPER puts the odd unit at the end, otherwise at the start).</summary>
internal sealed class ConvTranspose : Operator
{
    public override string OpType => "ConvTranspose";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        var w = OpChecks.FloatInput(context, 1, "W");
        if (x is null || w is null || !OpChecks.RequireRank4(context, x, "transposed convolution"))
        {
            return;
        }

        long group = context.GetInt("group", 1);
        if (w.Rank != 4 || group < 1 || x[1] % group != 0 || w[0] != x[1])
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"weights {w} and group {group} are inconsistent with input channels {x[1]} (weights must be [C, M/group, kH, kW])"));
            return;
        }

        int m = (int)(w[1] * group), kh = w[2], kw = w[3];
        if (context.GetInts("kernel_shape") is { } kernel && (kernel.Length != 2 || kernel[0] != kh || kernel[1] != kw))
        {
            context.Invalid($"kernel_shape [{string.Join(",", kernel)}] does not match weights {w}");
            return;
        }

        if (context.HasInput(2) && OpChecks.FloatInput(context, 2, "B") is { } b && (b.Rank != 1 || b[0] != m))
        {
            context.Invalid($"bias {b} must be [{m}]");
            return;
        }

        long[] strides = context.GetInts("strides") ?? [1, 1];
        long[] dilations = context.GetInts("dilations") ?? [1, 1];
        long[] pads = context.GetInts("pads") ?? [0, 0, 0, 0];
        long[] outputPadding = context.GetInts("output_padding") ?? [0, 0];
        long[]? outputShape = context.GetInts("output_shape");
        string autoPad = context.GetString("auto_pad", "NOTSET");
        if (context.Failed)
        {
            return;
        }

        if (strides.Length != 2 || dilations.Length != 2 || pads.Length != 4 || outputPadding.Length != 2 || outputShape is { Length: not (2 or 4) }
            || strides.Any(s => s < 1 || s > 1024) || dilations.Any(d => d < 1 || d > 1024) || pads.Any(p => p < 0 || p > 65535)
            || outputPadding.Any(p => p < 0 || p > 65535) || (outputShape is not null && outputShape.Any(d => d < 1 || d > 1 << 20)))
        {
            context.Invalid("strides, dilations (2 values, ≥ 1), pads (4, ≥ 0), output_padding (2, ≥ 0) and output_shape (2 spatial values) are invalid for a 2-D transposed convolution");
            return;
        }

        if (autoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
        {
            context.UnsupportedAttribute("auto_pad", autoPad, "NOTSET, SAME_UPPER, SAME_LOWER, VALID");
            return;
        }

        var height = Axis(x[2], (int)strides[0], (int)dilations[0], kh, (int)outputPadding[0], (int)pads[0], (int)pads[2], outputShape?[^2], autoPad);
        var width = Axis(x[3], (int)strides[1], (int)dilations[1], kw, (int)outputPadding[1], (int)pads[1], (int)pads[3], outputShape?[^1], autoPad);
        if (height.Output < 1 || width.Output < 1)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"the output would be {height.Output}×{width.Output}"));
            return;
        }

        context.Node.Parameters = new ConvTransposeParameters(x[0], x[1], x[2], x[3], m, height.Output, width.Output, kh, kw, (int)strides[0],
            (int)strides[1], height.PadBegin, width.PadBegin, (int)dilations[0], (int)dilations[1], (int)group, context.HasInput(2));
        context.SetOutput(0, DataType.Float32, new Shape(x[0], m, height.Output, width.Output));
    }

    /// <summary>One spatial axis: the output size and the leading pad (ONNX ConvTranspose's shape rules).</summary>
    private static (int Output, int PadBegin) Axis(int input, int stride, int dilation, int kernel, int outputPadding, int padBegin, int padEnd,
        long? outputShape, string autoPad)
    {
        long full = ((long)stride * (input - 1)) + outputPadding + ((long)(kernel - 1) * dilation) + 1;
        if (outputShape is { } wanted || autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            long output = outputShape ?? (long)input * stride;
            long total = full - output;
            long begin = autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2);
            return ((int)Math.Clamp(output, 0, int.MaxValue), (int)begin);
        }

        return autoPad == "VALID" ? ((int)full, 0) : ((int)Math.Clamp(full - padBegin - padEnd, int.MinValue, int.MaxValue), padBegin);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<ConvTransposeParameters>();
        var x = context.Input<float>(0).Span;
        var w = context.Input<float>(1).Span;
        var y = context.Output<float>(0).Span;
        ReadOnlySpan<float> bias = p.HasBias ? context.Input<float>(2).Span : default;
        int inPlane = p.InputHeight * p.InputWidth, outPlane = p.OutputHeight * p.OutputWidth;
        int cPerGroup = p.InputChannels / p.Group, mPerGroup = p.OutputChannels / p.Group, taps = p.KernelHeight * p.KernelWidth;
        for (int n = 0; n < p.Batch; n++)
        {
            for (int o = 0; o < p.OutputChannels; o++)
            {
                var plane = y.Slice(((n * p.OutputChannels) + o) * outPlane, outPlane);
                plane.Fill(p.HasBias ? bias[o] : 0f);
                int g = o / mPerGroup, og = o % mPerGroup;
                for (int cg = 0; cg < cPerGroup; cg++)
                {
                    int c = (g * cPerGroup) + cg;
                    var input = x.Slice(((n * p.InputChannels) + c) * inPlane, inPlane);
                    var kernel = w.Slice(((c * mPerGroup) + og) * taps, taps);
                    Accumulate(p, input, kernel, plane);
                }
            }
        }
    }

    private static void Accumulate(ConvTransposeParameters p, ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, Span<float> plane)
    {
        for (int ky = 0; ky < p.KernelHeight; ky++)
        {
            for (int kx = 0; kx < p.KernelWidth; kx++)
            {
                float k = kernel[(ky * p.KernelWidth) + kx];
                for (int i = 0; i < p.InputHeight; i++)
                {
                    int oy = (i * p.StrideHeight) - p.PadTop + (ky * p.DilationHeight);
                    if (oy < 0 || oy >= p.OutputHeight)
                    {
                        continue;
                    }

                    for (int j = 0; j < p.InputWidth; j++)
                    {
                        int ox = (j * p.StrideWidth) - p.PadLeft + (kx * p.DilationWidth);
                        if (ox >= 0 && ox < p.OutputWidth)
                        {
                            plane[(oy * p.OutputWidth) + ox] += input[(i * p.InputWidth) + j] * k;
                        }
                    }
                }
            }
        }
    }
}
