using Emc.Diagnostics;

namespace Emc.Onnx;

/// <summary>Problems reading an ONNX file or importing it into the IR (EMC01xx).</summary>
public static class OnnxDiagnostics
{
    public static readonly DiagnosticDescriptor UnsupportedOperator =
        new("EMC0101", DiagnosticSeverity.Error, "Unsupported operator");

    public static readonly DiagnosticDescriptor MalformedModel =
        new("EMC0102", DiagnosticSeverity.Error, "Malformed ONNX protobuf");

    public static readonly DiagnosticDescriptor UnsupportedIrVersion =
        new("EMC0103", DiagnosticSeverity.Error, "Unsupported ONNX IR version");

    public static readonly DiagnosticDescriptor UnsupportedOpset =
        new("EMC0104", DiagnosticSeverity.Error, "Unsupported opset version");

    public static readonly DiagnosticDescriptor ExternalDataMissing =
        new("EMC0105", DiagnosticSeverity.Error, "External tensor data missing or short");

    public static readonly DiagnosticDescriptor ExternalDataOutsideModel =
        new("EMC0106", DiagnosticSeverity.Error, "External tensor data outside the model's folder");

    public static readonly DiagnosticDescriptor QuantizedModel =
        new("EMC0107", DiagnosticSeverity.Error, "Model is already quantized");

    public static readonly DiagnosticDescriptor NonTensorType =
        new("EMC0108", DiagnosticSeverity.Error, "Non-tensor value type");

    public static readonly DiagnosticDescriptor NonFloatModel =
        new("EMC0109", DiagnosticSeverity.Error, "Graph input or output is not float32");

    public static readonly DiagnosticDescriptor InvalidGraph =
        new("EMC0110", DiagnosticSeverity.Error, "Graph structure invalid");

    public static readonly DiagnosticDescriptor FileNotReadable =
        new("EMC0111", DiagnosticSeverity.Error, "Model or tensor file cannot be read");

    public static readonly DiagnosticDescriptor InvalidTensorData =
        new("EMC0112", DiagnosticSeverity.Error, "Tensor data invalid or unsupported");

    public static readonly DiagnosticDescriptor NewerThanTested =
        new("EMC0113", DiagnosticSeverity.Warning, "IR or opset version newer than tested");

    /// <summary>Every descriptor, for documentation and tests.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        UnsupportedOperator, MalformedModel, UnsupportedIrVersion, UnsupportedOpset, ExternalDataMissing,
        ExternalDataOutsideModel, QuantizedModel, NonTensorType, NonFloatModel, InvalidGraph, FileNotReadable,
        InvalidTensorData, NewerThanTested,
    ];
}
