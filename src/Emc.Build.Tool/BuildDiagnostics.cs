using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>Diagnostics of build integration: MSBuild items, code generation and firmware bundles (EMC08xx).</summary>
internal static class BuildDiagnostics
{
    public static readonly DiagnosticDescriptor InvalidMetadata =
        new("EMC0801", DiagnosticSeverity.Error, "Invalid EmcModel item metadata");

    public static readonly DiagnosticDescriptor ModelFileMissing =
        new("EMC0802", DiagnosticSeverity.Error, "EmcModel file not found");

    public static readonly DiagnosticDescriptor DuplicateOutputName =
        new("EMC0803", DiagnosticSeverity.Error, "Two EmcModel items produce the same output name");

    public static readonly DiagnosticDescriptor DatasetMissing =
        new("EMC0804", DiagnosticSeverity.Error, "Dataset file or folder not found");

    public static readonly DiagnosticDescriptor OutputWriteFailed =
        new("EMC0805", DiagnosticSeverity.Error, "Cannot write a generated file");

    public static readonly DiagnosticDescriptor CompilerUnavailable =
        new("EMC0806", DiagnosticSeverity.Error, "The model compiler could not be loaded");

    public static readonly DiagnosticDescriptor InternalError =
        new("EMC0807", DiagnosticSeverity.Error, "Internal error in the build task (please report it)");

    public static readonly DiagnosticDescriptor GeneratedKmodelUnreadable =
        new("EMC0808", DiagnosticSeverity.Error, "The compiled kmodel cannot be read back");

    public static readonly DiagnosticDescriptor ModelsFailed =
        new("EMC0809", DiagnosticSeverity.Error, "EmcModel items failed to compile: the project is not compiled");

    public static readonly DiagnosticDescriptor KfpkgInvalidEntry =
        new("EMC0810", DiagnosticSeverity.Error, "Invalid .kfpkg entry (address, name or file)");

    public static readonly DiagnosticDescriptor KfpkgOverlap =
        new("EMC0811", DiagnosticSeverity.Error, "Two .kfpkg entries overlap in flash");

    public static readonly DiagnosticDescriptor OnnxInterfaceUnreadable =
        new("EMC0812", DiagnosticSeverity.Warning, "ONNX inputs/outputs could not be read for the design-time wrapper");

    public static readonly DiagnosticDescriptor DuplicateClassName =
        new("EMC0813", DiagnosticSeverity.Error, "Two EmcModel items produce the same C# class");

    public static readonly DiagnosticDescriptor ReservedHeaderName =
        new("EMC0814", DiagnosticSeverity.Error, "Generated header would shadow a standard or SDK header");

    public static readonly DiagnosticDescriptor CSharpWrapperUnsupported =
        new("EMC0815", DiagnosticSeverity.Error, "The project cannot compile the generated C# wrapper");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        InvalidMetadata, ModelFileMissing, DuplicateOutputName, DatasetMissing, OutputWriteFailed, CompilerUnavailable,
        InternalError, GeneratedKmodelUnreadable, ModelsFailed, KfpkgInvalidEntry, KfpkgOverlap, OnnxInterfaceUnreadable,
        DuplicateClassName, ReservedHeaderName, CSharpWrapperUnsupported,
    ];
}
