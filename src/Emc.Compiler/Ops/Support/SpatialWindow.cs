using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>A 2-D sliding window (Conv and pooling) resolved from kernel_shape, strides, dilations, pads, auto_pad
/// and ceil_mode.</summary>
internal sealed record SpatialWindow(
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int DilationHeight,
    int DilationWidth,
    int PadTop,
    int PadLeft,
    int PadBottom,
    int PadRight,
    int OutputHeight,
    int OutputWidth)
{
    /// <summary>Reads the window attributes for a node over an [N, C, H, W] input; reports problems and returns null.
    /// With <paramref name="negativeSamePads"/> (pooling) SAME_* pads follow the ONNX pooling formula even where it is
    /// negative; otherwise (Conv) a negative total is clamped to 0.</summary>
    public static SpatialWindow? Resolve(InferenceContext context, int height, int width, int kernelHeight, int kernelWidth,
        bool ceilMode, bool negativeSamePads = false)
    {
        long[] strides = context.GetInts("strides") ?? [1, 1];
        long[] dilations = context.GetInts("dilations") ?? [1, 1];
        long[] pads = context.GetInts("pads") ?? [0, 0, 0, 0];
        string autoPad = context.GetString("auto_pad", "NOTSET");
        if (context.Failed)
        {
            return null;
        }

        if (strides.Length != 2 || dilations.Length != 2 || pads.Length != 4)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"strides ({strides.Length}), dilations ({dilations.Length}) and pads ({pads.Length}) must have 2, 2 and 4 values for a 2-D window"));
            return null;
        }

        if (strides.Any(s => s < 1 || s > 65535) || dilations.Any(d => d < 1 || d > 65535) || pads.Any(p => p < 0 || p > 65535))
        {
            context.Invalid("strides and dilations must be ≥ 1 and pads ≥ 0");
            return null;
        }

        int sh = (int)strides[0], sw = (int)strides[1], dh = (int)dilations[0], dw = (int)dilations[1];
        int extentH = ((kernelHeight - 1) * dh) + 1, extentW = ((kernelWidth - 1) * dw) + 1;
        int pt, pl, pb, pr, oh, ow;
        switch (autoPad)
        {
            case "NOTSET":
                (pt, pl, pb, pr) = ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
                oh = Output(height, pt, pb, extentH, sh, ceilMode);
                ow = Output(width, pl, pr, extentW, sw, ceilMode);
                break;
            case "SAME_UPPER":
            case "SAME_LOWER":
                oh = (height + sh - 1) / sh;
                ow = (width + sw - 1) / sw;
                (pt, pb) = Same(height, oh, sh, extentH, autoPad == "SAME_UPPER", negativeSamePads);
                (pl, pr) = Same(width, ow, sw, extentW, autoPad == "SAME_UPPER", negativeSamePads);
                break;
            case "VALID":
                (pt, pl, pb, pr) = (0, 0, 0, 0);
                oh = Output(height, 0, 0, extentH, sh, ceilMode);
                ow = Output(width, 0, 0, extentW, sw, ceilMode);
                break;
            default:
                context.UnsupportedAttribute("auto_pad", autoPad, "NOTSET, SAME_UPPER, SAME_LOWER, VALID");
                return null;
        }

        if (oh < 1 || ow < 1)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"the {kernelHeight}×{kernelWidth} window (dilations {dh},{dw}) does not fit the {height}×{width} input with pads {pt},{pl},{pb},{pr}"));
            return null;
        }

        return new SpatialWindow(kernelHeight, kernelWidth, sh, sw, dh, dw, pt, pl, pb, pr, oh, ow);
    }

    private static int Output(int size, int padBegin, int padEnd, int extent, int stride, bool ceilMode)
    {
        long span = (long)size + padBegin + padEnd - extent;
        if (span < 0)
        {
            return 0;
        }

        long output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;

        // In ceil mode a window that would start inside the end padding is dropped.
        if (ceilMode && (output - 1) * stride >= size + padBegin)
        {
            output--;
        }

        return (int)Math.Min(output, int.MaxValue);
    }

    /// <summary>SAME_UPPER/SAME_LOWER pads by the ONNX pooling definition (docs/Operators.md, MaxPool/AveragePool:
    /// pad_shape = (output − 1)·stride + ((kernel − 1)·dilation + 1) − input), which is not clamped at 0: a stride larger
    /// than the kernel can make it negative, and the windows then start inside the input;
    /// the odd unit goes to the end for SAME_UPPER and to the beginning for SAME_LOWER, with floor division as the ONNX
    /// reference does (onnx/reference/ops/op_pool_common.py, get_pad_shape and get_pad_with_auto_pad).</summary>
    private static (int Begin, int End) Same(int size, int output, int stride, int extent, bool upper, bool allowNegative)
    {
        int total = ((output - 1) * stride) + extent - size;
        if (!allowNegative)
        {
            total = Math.Max(0, total);
        }

        int floorHalf = total >> 1; // floor(total / 2), also for a negative total
        return upper ? (floorHalf, total - floorHalf) : (total - floorHalf, floorHalf);
    }
}
