using System.Globalization;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>MaxPool and AveragePool over 2-D windows of an NCHW input (kernel_shape, strides, pads, auto_pad,
/// ceil_mode from opset 10, dilations). 1-D and 3-D pooling are reported as unsupported shapes.</summary>
internal abstract class PoolBase : Operator
{
    /// <summary>Reads the window; returns null (reported) when the node is not supported.</summary>
    protected Pool2DGeometry? ResolveWindow(InferenceContext context, bool allowDilations)
    {
        var x = context.Input(0);
        if (x is null)
        {
            context.Invalid("input 0 ('X') is missing");
            return null;
        }

        if (x.Type != DataType.Float32)
        {
            context.Error(IrDiagnostics.UnsupportedType, $"input is {x.Type.Name()}; only float32 is supported");
            return null;
        }

        var shape = x.Shape!;
        if (!OpChecks.RequireRank4(context, shape, "pooling"))
        {
            return null;
        }

        long[]? kernel = context.GetInts("kernel_shape");
        if (kernel is null || kernel.Length != 2 || kernel[0] < 1 || kernel[1] < 1)
        {
            context.Invalid("kernel_shape must list 2 positive sizes");
            return null;
        }

        if (!allowDilations && context.HasAttribute("dilations"))
        {
            context.UnsupportedAttribute("dilations", "[" + string.Join(",", context.GetInts("dilations") ?? []) + "]",
                string.Create(CultureInfo.InvariantCulture, $"none before opset 19 for AveragePool (model opset {context.Opset})"));
            return null;
        }

        bool ceilMode = context.GetInt("ceil_mode", 0) != 0;
        var w = SpatialWindow.Resolve(context, shape[2], shape[3], (int)kernel[0], (int)kernel[1], ceilMode, negativeSamePads: true);
        if (w is null)
        {
            return null;
        }

        context.SetOutput(0, DataType.Float32, new Shape(shape[0], shape[1], w.OutputHeight, w.OutputWidth));
        return new Pool2DGeometry(shape[0] * shape[1], shape[2], shape[3], w.OutputHeight, w.OutputWidth, w.KernelHeight, w.KernelWidth,
            w.StrideHeight, w.StrideWidth, w.PadTop, w.PadLeft, w.PadBottom, w.PadRight, w.DilationHeight, w.DilationWidth);
    }
}

/// <summary>A resolved pooling node.</summary>
internal sealed record PoolParameters(Pool2DGeometry Geometry, bool CountIncludePad);
