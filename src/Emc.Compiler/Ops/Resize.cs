using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>
/// Resize (opsets 10, 11, 13, 18, 19): scales or sizes (constant inputs), axes and keep_aspect_ratio_policy (18+).
/// Nearest mode: every coordinate_transformation_mode nearest uses and every nearest_mode. Linear mode (float32):
/// half_pixel, pytorch_half_pixel, align_corners, asymmetric; antialias only where it changes nothing (upsampling).
/// cubic and tf_crop_and_resize are reported as unsupported.
/// </summary>
internal sealed class Resize : Operator
{
    public override string OpType => "Resize";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "X") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        string mode = context.GetString("mode", "nearest");
        if (mode is not ("nearest" or "linear"))
        {
            context.UnsupportedAttribute("mode", $"'{mode}'", "'nearest', 'linear'");
            return;
        }

        string coordinateMode = context.Opset < 11 ? "asymmetric" : context.GetString("coordinate_transformation_mode", "half_pixel");
        string nearestMode = context.Opset < 11 ? "floor" : context.GetString("nearest_mode", "round_prefer_floor");
        if (mode == "linear")
        {
            if (!CheckLinear(context, coordinateMode))
            {
                return;
            }
        }
        else if (!NearestResampling.CoordinateModes.Contains(coordinateMode) || (coordinateMode == "half_pixel_symmetric" && context.Opset < 19))
        {
            context.UnsupportedAttribute("coordinate_transformation_mode", $"'{coordinateMode}'", string.Join(", ", NearestResampling.CoordinateModes));
            return;
        }
        else if (!NearestResampling.NearestModes.Contains(nearestMode))
        {
            context.UnsupportedAttribute("nearest_mode", $"'{nearestMode}'", string.Join(", ", NearestResampling.NearestModes));
            return;
        }

        var input = context.InputShape(0);
        int rank = input.Rank;
        int scalesIndex = context.Opset < 11 ? 1 : 2;
        float[]? scales = null;
        long[]? sizes = null;
        if (context.HasInput(scalesIndex))
        {
            var t = context.ConstantInput(scalesIndex, "scales");
            if (t is null)
            {
                return;
            }

            if (t.ElementCount > 0)
            {
                scales = t.ToFloatArray();
            }
        }

        if (context.Opset >= 11 && context.HasInput(3))
        {
            sizes = OpArguments.ConstantInts(context, 3, "sizes");
            if (sizes is null)
            {
                return;
            }

            if (sizes.Length == 0)
            {
                sizes = null;
            }
        }

        if ((scales is null) == (sizes is null))
        {
            context.Invalid("exactly one of 'scales' and 'sizes' must be given");
            return;
        }

        var axes = context.Opset >= 18 && context.GetInts("axes") is { } ax
            ? OpArguments.NormalizeAxes(context, ax, rank)
            : Enumerable.Range(0, rank).ToArray();
        if (axes is null)
        {
            return;
        }

        int given = scales?.Length ?? sizes!.Length;
        if (given != axes.Length)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"{(scales is null ? "sizes" : "scales")} has {given} values; {axes.Length} expected"));
            return;
        }

        var outDims = input.ToArray();
        var axisScale = Enumerable.Repeat(1.0, rank).ToArray();
        if (scales is not null)
        {
            for (int k = 0; k < axes.Length; k++)
            {
                if (!(scales[k] > 0) || float.IsInfinity(scales[k]))
                {
                    context.Invalid(string.Create(CultureInfo.InvariantCulture, $"scales[{k}] = {scales[k]} must be positive"));
                    return;
                }

                axisScale[axes[k]] = scales[k];
                // In float, as ONNX Runtime computes it: 5 × 2.6f is 13 in float, 12.9999995 in double.
                double size = Math.Floor((float)input[axes[k]] * scales[k]);
                if (size > int.MaxValue)
                {
                    context.Error(IrDiagnostics.UnsupportedShape, "the resized tensor is too large");
                    return;
                }

                outDims[axes[k]] = (int)size;
            }
        }
        else if (!FromSizes(context, input, axes, sizes!, outDims, axisScale))
        {
            return;
        }

        if (mode == "linear")
        {
            if (context.GetInt("antialias", 0) != 0 && Enumerable.Range(0, rank).Any(a => outDims[a] < input[a]))
            {
                context.UnsupportedAttribute("antialias", "1 when downsampling", "0, or 1 when no axis shrinks");
                return;
            }

            var axesOut = new LinearAxis[rank];
            for (int a = 0; a < rank; a++)
            {
                axesOut[a] = LinearResampling.Axis(input[a], outDims[a], axisScale[a], coordinateMode);
            }

            context.Node.Parameters = new LinearResizeParameters(axesOut, coordinateMode);
            context.SetOutput(0, DataType.Float32, new Ir.Shape(outDims));
            return;
        }

        var maps = new int[rank][];
        for (int a = 0; a < rank; a++)
        {
            maps[a] = outDims[a] == input[a] && axisScale[a] == 1
                ? Enumerable.Range(0, input[a]).ToArray()
                : NearestResampling.Map(input[a], outDims[a], axisScale[a], coordinateMode, nearestMode);
        }

        context.Node.Parameters = new NearestResizeParameters(maps, coordinateMode, nearestMode);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(outDims));
    }

    private static bool FromSizes(InferenceContext context, Ir.Shape input, int[] axes, long[] sizes, int[] outDims, double[] axisScale)
    {
        string policy = context.Opset >= 18 ? context.GetString("keep_aspect_ratio_policy", "stretch") : "stretch";
        if (sizes.Any(s => s <= 0 || s > int.MaxValue))
        {
            context.Invalid($"sizes [{string.Join(",", sizes)}] must be positive");
            return false;
        }

        if (policy == "stretch")
        {
            for (int k = 0; k < axes.Length; k++)
            {
                outDims[axes[k]] = (int)sizes[k];
                axisScale[axes[k]] = (double)sizes[k] / input[axes[k]];
            }

            return true;
        }

        if (policy is not ("not_larger" or "not_smaller"))
        {
            context.UnsupportedAttribute("keep_aspect_ratio_policy", $"'{policy}'", "stretch, not_larger, not_smaller");
            return false;
        }

        double scale = policy == "not_larger" ? double.MaxValue : double.MinValue;
        for (int k = 0; k < axes.Length; k++)
        {
            double s = (double)sizes[k] / input[axes[k]];
            scale = policy == "not_larger" ? Math.Min(scale, s) : Math.Max(scale, s);
        }

        for (int k = 0; k < axes.Length; k++)
        {
            outDims[axes[k]] = (int)Math.Round(scale * input[axes[k]], MidpointRounding.AwayFromZero);
            axisScale[axes[k]] = scale;
        }

        return true;
    }

    /// <summary>Linear mode's limits: float32 data and the coordinate modes <see cref="LinearResampling"/> computes.</summary>
    internal static bool CheckLinear(InferenceContext context, string coordinateMode)
    {
        if (context.Input(0)!.Type != DataType.Float32)
        {
            context.Error(IrDiagnostics.UnsupportedType, $"linear resizing of {context.Input(0)!.Type} data is not supported (float32 only)");
            return false;
        }

        if (!LinearResampling.CoordinateModes.Contains(coordinateMode))
        {
            context.UnsupportedAttribute("coordinate_transformation_mode", $"'{coordinateMode}'", string.Join(", ", LinearResampling.CoordinateModes) + " (mode 'linear')");
            return false;
        }

        return true;
    }

    public override void Evaluate(EvaluationContext context)
    {
        if (context.Node.Parameters is LinearResizeParameters linear)
        {
            LinearResampling.Apply(context.Input(0), linear.Axes, context.Output(0));
            return;
        }

        NearestResampling.Apply(context.Input(0), context.Parameters<NearestResizeParameters>().SourceIndex, context.Output(0));
    }
}
