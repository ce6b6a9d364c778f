using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel;

/// <summary>Facts about layer type codes (spec §4 table).</summary>
public static class KmodelLayerTypes
{
    /// <summary>True for every code that the enumeration names.</summary>
    public static bool IsKnown(KmodelLayerType type) => LayerCatalogue.For(type) is not null;

    /// <summary>Whether the stock Kendryte SDK interpreter (kpu.c) executes this layer type.</summary>
    public static bool IsRunByStockSdk(KmodelLayerType type) => LayerCatalogue.For(type)?.IsRunByStockSdk(type) ?? false;

    /// <summary>Whether a body layout is known for this type (false for 0, 3, 4, 6, 10, 19 and unknown codes).</summary>
    public static bool HasKnownLayout(KmodelLayerType type) => LayerCatalogue.For(type)?.HasKnownLayout ?? false;

    /// <summary>The SDK's upper-case name, e.g. <c>K210_CONV</c>, or the number for unknown codes.</summary>
    public static string SdkName(KmodelLayerType type) => type switch
    {
        KmodelLayerType.Invalid => "INVALID",
        KmodelLayerType.Add => "ADD",
        KmodelLayerType.QuantizedAdd => "QUANTIZED_ADD",
        KmodelLayerType.GlobalMaxPool2D => "GLOBAL_MAX_POOL2D",
        KmodelLayerType.QuantizedGlobalMaxPool2D => "QUANTIZED_GLOBAL_MAX_POOL2D",
        KmodelLayerType.GlobalAveragePool2D => "GLOBAL_AVERAGE_POOL2D",
        KmodelLayerType.QuantizedGlobalAveragePool2D => "QUANTIZED_GLOBAL_AVERAGE_POOL2D",
        KmodelLayerType.MaxPool2D => "MAX_POOL2D",
        KmodelLayerType.QuantizedMaxPool2D => "QUANTIZED_MAX_POOL2D",
        KmodelLayerType.AveragePool2D => "AVERAGE_POOL2D",
        KmodelLayerType.QuantizedAveragePool2D => "QUANTIZED_AVERAGE_POOL2D",
        KmodelLayerType.Quantize => "QUANTIZE",
        KmodelLayerType.Dequantize => "DEQUANTIZE",
        KmodelLayerType.Requantize => "REQUANTIZE",
        KmodelLayerType.L2Normalization => "L2_NORMALIZATION",
        KmodelLayerType.Softmax => "SOFTMAX",
        KmodelLayerType.Concat => "CONCAT",
        KmodelLayerType.QuantizedConcat => "QUANTIZED_CONCAT",
        KmodelLayerType.FullyConnected => "FULLY_CONNECTED",
        KmodelLayerType.QuantizedFullyConnected => "QUANTIZED_FULLY_CONNECTED",
        KmodelLayerType.TensorflowFlatten => "TENSORFLOW_FLATTEN",
        KmodelLayerType.QuantizedTensorflowFlatten => "QUANTIZED_TENSORFLOW_FLATTEN",
        KmodelLayerType.ResizeNearestNeighbor => "RESIZE_NEAREST_NEIGHBOR",
        KmodelLayerType.QuantizedResizeNearestNeighbor => "QUANTIZED_RESIZE_NEAREST_NEIGHBOR",
        KmodelLayerType.ChannelwiseDequantize => "CHANNELWISE_DEQUANTIZE",
        KmodelLayerType.Logistic => "LOGISTIC",
        KmodelLayerType.K210Conv => "K210_CONV",
        KmodelLayerType.K210AddPadding => "K210_ADD_PADDING",
        KmodelLayerType.K210RemovePadding => "K210_REMOVE_PADDING",
        KmodelLayerType.K210Upload => "K210_UPLOAD",
        _ => ((uint)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
