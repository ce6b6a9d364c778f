using System.Globalization;

namespace Emc.Kmodel;

/// <summary>Per-layer field checks for CPU layers (values the runtime would divide by, or mis-size).</summary>
internal static class LayerFieldRules
{
    public static void Check(LayerBody body, KmodelHeader header, int index, DiagnosticSink sink)
    {
        _ = header;
        switch (body)
        {
            case QuantizedMaxPool2DBody b:
                CheckWindow(b.Window, index, b.Type, sink);
                break;
            case Pool2DBody b:
                CheckType(b.Type, index, sink, KmodelLayerType.MaxPool2D, KmodelLayerType.AveragePool2D);
                CheckWindow(b.Window, index, b.Type, sink);
                break;
            case ConcatBody b:
                CheckType(b.Type, index, sink, KmodelLayerType.Concat, KmodelLayerType.QuantizedConcat);
                break;
            case TensorflowFlattenBody b:
                CheckType(b.Type, index, sink, KmodelLayerType.TensorflowFlatten, KmodelLayerType.QuantizedTensorflowFlatten);
                if (b.Width == 0 || b.Height == 0 || b.Channels == 0)
                {
                    // An empty tensor has no memory to bound the other dimensions: 0×2^31×2^31 would loop for hours.
                    Invalid(index, b.Type, sink, $"shape {b.Channels}×{b.Height}×{b.Width} has an empty dimension");
                }

                break;
            case ResizeNearestNeighborBody b:
                CheckType(b.Type, index, sink, KmodelLayerType.ResizeNearestNeighbor, KmodelLayerType.QuantizedResizeNearestNeighbor);
                if (b.OutWidth == 0 || b.OutHeight == 0)
                {
                    Invalid(index, b.Type, sink, $"output size {b.OutWidth}×{b.OutHeight} is empty (the runtime divides by it)");
                }

                if (b.InWidth == 0 || b.InHeight == 0 || b.InChannels == 0)
                {
                    Invalid(index, b.Type, sink, $"input shape {b.InChannels}×{b.InHeight}×{b.InWidth} has an empty dimension");
                }

                break;
            case FullyConnectedBody b:
                if (b.Activation > 2)
                {
                    Invalid(index, b.Type, sink, $"activation {b.Activation} is not 0 (linear), 1 (ReLU) or 2 (ReLU6)");
                }

                if (b.Weights.LongLength != (long)b.InChannels * b.OutChannels || b.Bias.Length != b.OutChannels)
                {
                    Invalid(index, b.Type, sink, $"{b.Weights.Length} weights and {b.Bias.Length} biases do not match {b.InChannels}→{b.OutChannels}");
                }

                break;
            case RequantizeBody b when b.Table.Length != RequantizeBody.TableLength:
                Invalid(index, b.Type, sink, $"the table has {b.Table.Length} entries, not 256");
                break;
            case GlobalAveragePool2DBody b when b.KernelSize == 0:
                Invalid(index, b.Type, sink, $"kernel_size is 0 (the runtime divides by it)");
                break;
        }
    }

    private static void CheckWindow(PoolWindow w, int index, KmodelLayerType type, DiagnosticSink sink)
    {
        if (w.KernelWidth == 0 || w.KernelHeight == 0 || w.StrideWidth == 0 || w.StrideHeight == 0)
        {
            Invalid(index, type, sink, $"kernel {w.KernelWidth}×{w.KernelHeight} and stride {w.StrideWidth}×{w.StrideHeight} must be non-zero");
        }

        // With every dimension at least 1, the in/out memory ranges (checked against main memory) bound each of
        // them, so the work is bounded by the declared memory; one empty dimension would leave the others unbounded.
        if (w.InWidth == 0 || w.InHeight == 0 || w.InChannels == 0 || w.OutWidth == 0 || w.OutHeight == 0 || w.OutChannels == 0)
        {
            Invalid(index, type, sink, $"input {w.InChannels}×{w.InHeight}×{w.InWidth} and output {w.OutChannels}×{w.OutHeight}×{w.OutWidth} must have no empty dimension");
        }
    }

    private static void CheckType(KmodelLayerType type, int index, DiagnosticSink sink, KmodelLayerType a, KmodelLayerType b)
    {
        if (type != a && type != b)
        {
            Invalid(index, type, sink, $"this body layout is used by {KmodelLayerTypes.SdkName(a)} and {KmodelLayerTypes.SdkName(b)} only");
        }
    }

    private static void Invalid(int index, KmodelLayerType type, DiagnosticSink sink, FormattableString message) =>
        sink.Report(KmodelDiagnostics.InvalidLayerField, index, type, FormattableString.Invariant(message));
}
