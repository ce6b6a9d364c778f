using System.Globalization;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Conv (opsets 1–22), 2-D only: group/depthwise, pads, strides, dilations, auto_pad, kernel_shape
/// inferred from the weights. Weights and bias may be constants or run-time inputs.</summary>
internal sealed class Conv : Operator
{
    public override string OpType => "Conv";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        var w = OpChecks.FloatInput(context, 1, "W");
        if (x is null || w is null || !OpChecks.RequireRank4(context, x, "convolution"))
        {
            return;
        }

        if (w.Rank != 4)
        {
            context.Invalid($"weights {w} must have rank 4 for a rank-4 input");
            return;
        }

        long group = context.GetInt("group", 1);
        int m = w[0], cPerGroup = w[1], kh = w[2], kw = w[3];
        if (group < 1 || group > x[1] || x[1] != cPerGroup * group || m % group != 0)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"group {group} is inconsistent with input channels {x[1]}, weights {w}"));
            return;
        }

        if (context.GetInts("kernel_shape") is { } kernel && (kernel.Length != 2 || kernel[0] != kh || kernel[1] != kw))
        {
            context.Invalid($"kernel_shape [{string.Join(",", kernel)}] does not match weights {w}");
            return;
        }

        bool hasBias = context.HasInput(2);
        if (hasBias)
        {
            var b = OpChecks.FloatInput(context, 2, "B");
            if (b is null)
            {
                return;
            }

            if (b.Rank != 1 || b[0] != m)
            {
                context.Invalid($"bias {b} must be [{m}]");
                return;
            }
        }

        var window = SpatialWindow.Resolve(context, x[2], x[3], kh, kw, ceilMode: false);
        if (window is null)
        {
            return;
        }

        var geometry = new Conv2DGeometry(x[0], x[1], x[2], x[3], m, window.OutputHeight, window.OutputWidth, kh, kw,
            window.StrideHeight, window.StrideWidth, window.PadTop, window.PadLeft, window.DilationHeight, window.DilationWidth, (int)group);
        context.Node.Parameters = new ConvParameters(geometry, window.PadBottom, window.PadRight, hasBias);
        context.SetOutput(0, DataType.Float32, new Shape(x[0], m, window.OutputHeight, window.OutputWidth));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<ConvParameters>();
        var g = p.Geometry;
        var scratch = context.Scratch<float>(0, Conv2D.ScratchLength(g));
        ReadOnlySpan<float> bias = p.HasBias ? context.Input<float>(2).Span : default;
        Conv2D.Run(g, context.Input<float>(0).Span, context.Input<float>(1).Span, bias, context.Output<float>(0).Span, scratch,
            context.MaxDegreeOfParallelism);
    }
}
