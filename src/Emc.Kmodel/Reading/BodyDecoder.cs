using System.Globalization;

namespace Emc.Kmodel;

/// <summary>
/// Decodes the non-conv bodies of spec §4.1. The caller has checked that <c>body</c> (the bytes present in
/// the file, at most the declared size) starts on a 4-byte boundary; this checks each layout's size.
/// </summary>
internal static class BodyDecoder
{
    /// <summary>The decoded body and how many bytes its layout uses, or null after reporting an error.</summary>
    public static (LayerBody? Body, long ContentSize) Decode(
        KmodelLayerType type, ReadOnlySpan<byte> body, uint declared, int index, DiagnosticSink sink)
    {
        long required = RequiredSize(type, body, declared);
        if (required < 0)
        {
            sink.Report(KmodelDiagnostics.BodyTooSmall, index, type, string.Create(
                CultureInfo.InvariantCulture, $"body_size {declared} cannot hold the 4-byte flags and counts of its layout"));
            return (null, 0);
        }

        if (declared < required)
        {
            sink.Report(KmodelDiagnostics.BodyTooSmall, index, type, string.Create(
                CultureInfo.InvariantCulture, $"body_size {declared} is smaller than the {required} bytes its layout needs"));
            return (null, 0);
        }

        if (body.Length < required)
        {
            sink.Report(KmodelDiagnostics.BodyOutOfBounds, index, type, string.Create(
                CultureInfo.InvariantCulture, $"the file ends {required - body.Length} bytes before the end of the body's {required}-byte layout"));
            return (null, 0);
        }

        var f = new BodyFields(body);
        uint flags = f.U(0);
        LayerBody result = type switch
        {
            KmodelLayerType.Add => new AddBody(f.U(1), f.U(2), f.U(3), f.U(4)),
            KmodelLayerType.QuantizedAdd => new QuantizedAddBody(
                f.U(1), f.U(2), f.U(3), f.U(4), f.I(5), f.I(6), f.I(7), f.I(8), f.I(9), f.I(10), f.I(11), f.I(12), f.I(13)),
            KmodelLayerType.GlobalAveragePool2D => new GlobalAveragePool2DBody(f.U(1), f.U(2), f.U(3), f.U(4)),
            KmodelLayerType.QuantizedMaxPool2D => new QuantizedMaxPool2DBody(f.U(1), f.U(2), f.Window(3)),
            KmodelLayerType.MaxPool2D or KmodelLayerType.AveragePool2D => new Pool2DBody(type, f.U(1), f.U(2), f.Window(3), f.U(15)),
            KmodelLayerType.Quantize => new QuantizeBody(f.U(1), f.U(2), f.U(3), f.F(4), f.F(5)),
            KmodelLayerType.Dequantize => new DequantizeBody(f.U(1), f.U(2), f.U(3), f.F(4), f.F(5)),
            KmodelLayerType.Requantize => new RequantizeBody(f.U(1), f.U(2), f.U(3), body.Slice(16, RequantizeBody.TableLength).ToArray()),
            KmodelLayerType.L2Normalization => new L2NormalizationBody(f.U(1), f.U(2), f.U(3)),
            KmodelLayerType.Softmax => new SoftmaxBody(f.U(1), f.U(2), f.U(3)),
            KmodelLayerType.Logistic => new LogisticBody(f.U(1), f.U(2), f.U(3)),
            KmodelLayerType.Concat or KmodelLayerType.QuantizedConcat => Concat(type, f),
            KmodelLayerType.FullyConnected => FullyConnected(f),
            KmodelLayerType.TensorflowFlatten or KmodelLayerType.QuantizedTensorflowFlatten =>
                new TensorflowFlattenBody(type, f.U(1), f.U(2), f.U(3), f.U(4), f.U(5)),
            KmodelLayerType.ResizeNearestNeighbor or KmodelLayerType.QuantizedResizeNearestNeighbor =>
                new ResizeNearestNeighborBody(type, f.U(1), f.U(2), f.U(3), f.U(4), f.U(5), f.U(6), f.U(7), f.U(8)),
            KmodelLayerType.ChannelwiseDequantize => ChannelwiseDequantize(f),
            KmodelLayerType.K210AddPadding => new K210AddPaddingBody(f.U(1), f.U(2), f.U(3)),
            KmodelLayerType.K210RemovePadding => new K210RemovePaddingBody(f.U(1), f.U(2), f.U(3)),
            KmodelLayerType.K210Upload => new K210UploadBody(f.U(1), f.U(2), f.U(3), f.U(4), f.U(5)),
            _ => throw new InvalidOperationException($"no decoder for {type}"),
        };

        return (result with { Flags = flags }, required);
    }

    /// <summary>
    /// Bytes the layout needs, reading counts only when they are present; −1 when even the counts are
    /// beyond the declared size.
    /// </summary>
    private static long RequiredSize(KmodelLayerType type, ReadOnlySpan<byte> body, uint declared)
    {
        long fixedSize = type switch
        {
            KmodelLayerType.Add => AddBody.LayoutSize,
            KmodelLayerType.QuantizedAdd => QuantizedAddBody.LayoutSize,
            KmodelLayerType.GlobalAveragePool2D => GlobalAveragePool2DBody.LayoutSize,
            KmodelLayerType.QuantizedMaxPool2D => QuantizedMaxPool2DBody.LayoutSize,
            KmodelLayerType.MaxPool2D or KmodelLayerType.AveragePool2D => Pool2DBody.LayoutSize,
            KmodelLayerType.Quantize => QuantizeBody.LayoutSize,
            KmodelLayerType.Dequantize => DequantizeBody.LayoutSize,
            KmodelLayerType.Requantize => RequantizeBody.LayoutSize,
            KmodelLayerType.L2Normalization => L2NormalizationBody.LayoutSize,
            KmodelLayerType.Softmax => SoftmaxBody.LayoutSize,
            KmodelLayerType.Logistic => LogisticBody.LayoutSize,
            KmodelLayerType.Concat or KmodelLayerType.QuantizedConcat => ConcatBody.FixedSize,
            KmodelLayerType.FullyConnected => FullyConnectedBody.FixedSize,
            KmodelLayerType.TensorflowFlatten or KmodelLayerType.QuantizedTensorflowFlatten => TensorflowFlattenBody.LayoutSize,
            KmodelLayerType.ResizeNearestNeighbor or KmodelLayerType.QuantizedResizeNearestNeighbor => ResizeNearestNeighborBody.LayoutSize,
            KmodelLayerType.ChannelwiseDequantize => ChannelwiseDequantizeBody.FixedSize,
            KmodelLayerType.K210AddPadding => K210AddPaddingBody.LayoutSize,
            KmodelLayerType.K210RemovePadding => K210RemovePaddingBody.LayoutSize,
            KmodelLayerType.K210Upload => K210UploadBody.LayoutSize,
            _ => throw new InvalidOperationException($"no layout for {type}"),
        };

        bool variable = type is KmodelLayerType.Concat or KmodelLayerType.QuantizedConcat
            or KmodelLayerType.FullyConnected or KmodelLayerType.ChannelwiseDequantize;
        if (!variable)
        {
            return fixedSize;
        }

        if (declared < fixedSize || body.Length < fixedSize)
        {
            return declared < fixedSize ? -1 : fixedSize;
        }

        var f = new BodyFields(body);
        return type switch
        {
            KmodelLayerType.FullyConnected => SaturatingMath.Add(
                fixedSize, SaturatingMath.Mul(4, SaturatingMath.Add(SaturatingMath.Mul(f.U(3), f.U(4)), f.U(4)))),
            KmodelLayerType.ChannelwiseDequantize => fixedSize + (8L * f.U(3)),
            _ => fixedSize + (8L * f.U(2)),
        };
    }

    private static ConcatBody Concat(KmodelLayerType type, BodyFields f)
    {
        uint count = f.U(2);
        var inputs = new (uint Start, uint Size)[count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (f.U(3 + (2 * i)), f.U(4 + (2 * i)));
        }

        return new ConcatBody(type, f.U(1), inputs);
    }

    private static FullyConnectedBody FullyConnected(BodyFields f)
    {
        uint inChannels = f.U(3);
        uint outChannels = f.U(4);
        int weightCount = checked((int)(inChannels * (long)outChannels));
        float[] weights = f.Floats(FullyConnectedBody.FixedSize, weightCount);
        float[] bias = f.Floats(FullyConnectedBody.FixedSize + (4 * weightCount), (int)outChannels);
        return new FullyConnectedBody(f.U(1), f.U(2), inChannels, outChannels, f.U(5), weights, bias);
    }

    private static ChannelwiseDequantizeBody ChannelwiseDequantize(BodyFields f)
    {
        var parameters = new (float Scale, float Bias)[f.U(3)];
        for (int c = 0; c < parameters.Length; c++)
        {
            parameters[c] = (f.F(5 + (2 * c)), f.F(6 + (2 * c)));
        }

        return new ChannelwiseDequantizeBody(f.U(1), f.U(2), f.U(4), parameters);
    }
}
