using Emc.Diagnostics;

namespace Emc.Cli;

/// <summary>Problems with the command line's own inputs and outputs (EMC00xx); model problems keep their stage's codes.</summary>
public static class CliDiagnostics
{
    public static readonly DiagnosticDescriptor FileNotFound =
        new("EMC0001", DiagnosticSeverity.Error, "Input file not found");

    public static readonly DiagnosticDescriptor InputMismatch =
        new("EMC0003", DiagnosticSeverity.Error, "Run inputs do not match the model");

    public static readonly DiagnosticDescriptor OutputWriteFailed =
        new("EMC0004", DiagnosticSeverity.Error, "Output cannot be written");

    public static readonly DiagnosticDescriptor SimulatorInputUnusable =
        new("EMC0010", DiagnosticSeverity.Error, "Simulator input file cannot be used");

    public static readonly DiagnosticDescriptor InvalidOption =
        new("EMC0011", DiagnosticSeverity.Error, "Option value is invalid");

    public static readonly DiagnosticDescriptor RunInputNotTensor =
        new("EMC0013", DiagnosticSeverity.Error, "Run input is an image, not a TensorProto");

    public static readonly DiagnosticDescriptor InternalError =
        new("EMC0012", DiagnosticSeverity.Error, "Internal error in the command line tool (please report it)");
}
