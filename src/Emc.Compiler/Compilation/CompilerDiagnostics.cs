using Emc.Diagnostics;

namespace Emc.Compiler.Compilation;

/// <summary>Diagnostics of lowering (EMC05xx) and quantization/datasets (EMC06xx).</summary>
public static class CompilerDiagnostics
{
    public static readonly DiagnosticDescriptor UnsupportedOperator =
        new("EMC0501", DiagnosticSeverity.Error, "Operator has no kmodel v3 realisation");

    public static readonly DiagnosticDescriptor UnsupportedConv =
        new("EMC0502", DiagnosticSeverity.Error, "Convolution cannot run on the KPU");

    public static readonly DiagnosticDescriptor KpuLimit =
        new("EMC0503", DiagnosticSeverity.Error, "Tensor or weights exceed a KPU limit");

    public static readonly DiagnosticDescriptor UnsupportedInput =
        new("EMC0504", DiagnosticSeverity.Error, "Graph input cannot be fed to the device");

    public static readonly DiagnosticDescriptor UnsupportedPattern =
        new("EMC0505", DiagnosticSeverity.Error, "Operator attributes or placement not supported");

    public static readonly DiagnosticDescriptor KpuMemoryExceeded =
        new("EMC0506", DiagnosticSeverity.Error, "KPU RAM (32768 units) exceeded");

    public static readonly DiagnosticDescriptor Preprocessing =
        new("EMC0507", DiagnosticSeverity.Error, "Input preprocessing cannot be folded exactly");

    public static readonly DiagnosticDescriptor EmittedModelInvalid =
        new("EMC0508", DiagnosticSeverity.Error, "Internal error: the emitted kmodel failed validation");

    public static readonly DiagnosticDescriptor InvalidOptions =
        new("EMC0509", DiagnosticSeverity.Error, "Invalid compile options");

    public static readonly DiagnosticDescriptor DeviceMemoryExceeded =
        new("EMC0510", DiagnosticSeverity.Error, "Kmodel and its main memory exceed the device's SRAM");

    public static readonly DiagnosticDescriptor FullyConnectedKeptOnCpu =
        new("EMC0511", DiagnosticSeverity.Warning, "Fully connected layer kept on the CPU despite --fully-connected kpu");

    public static readonly DiagnosticDescriptor ParameterOverflow =
        new("EMC0601", DiagnosticSeverity.Error, "Quantized parameter does not fit its register field");

    public static readonly DiagnosticDescriptor DatasetMissing =
        new("EMC0602", DiagnosticSeverity.Warning, "No calibration dataset: using random inputs");

    public static readonly DiagnosticDescriptor DatasetFile =
        new("EMC0603", DiagnosticSeverity.Error, "Calibration sample cannot be read");

    public static readonly DiagnosticDescriptor DatasetShape =
        new("EMC0604", DiagnosticSeverity.Error, "Calibration sample does not match the model input");

    public static readonly DiagnosticDescriptor CalibrationFailed =
        new("EMC0605", DiagnosticSeverity.Error, "Float evaluation of a calibration sample failed");

    public static readonly DiagnosticDescriptor UnknownOutput =
        new("EMC0520", DiagnosticSeverity.Error, "Requested output is not a computed tensor of the model");

    public static readonly DiagnosticDescriptor OutputsSuggestion =
        new("EMC0521", DiagnosticSeverity.Info, "Only a tail blocks the model: outputs that would compile");

    public static readonly DiagnosticDescriptor TailLeftToHost =
        new("EMC0522", DiagnosticSeverity.Info, "--tail auto compiled the device part; the host runs the tail");

    public static readonly DiagnosticDescriptor TailCode =
        new("EMC0523", DiagnosticSeverity.Info, "--tail auto: the tail is generated as C and C# code, or which op has no generator");

    public static readonly DiagnosticDescriptor NonFiniteData =
        new("EMC0606", DiagnosticSeverity.Error, "Calibration sample or compiled output is not finite (NaN/Inf)");
}
