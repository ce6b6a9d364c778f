using Emc.Diagnostics;

namespace Emc.Compiler.Ir;

/// <summary>Problems found while resolving nodes: attributes, constant inputs, types and shapes (EMC02xx).</summary>
public static class IrDiagnostics
{
    public static readonly DiagnosticDescriptor UnsupportedAttribute =
        new("EMC0201", DiagnosticSeverity.Error, "Unsupported attribute value");

    public static readonly DiagnosticDescriptor InvalidNode =
        new("EMC0202", DiagnosticSeverity.Error, "Node inconsistent with the ONNX specification");

    public static readonly DiagnosticDescriptor NonConstantInput =
        new("EMC0203", DiagnosticSeverity.Error, "Input must be known at compile time");

    public static readonly DiagnosticDescriptor UnsupportedType =
        new("EMC0204", DiagnosticSeverity.Error, "Unsupported element type");

    public static readonly DiagnosticDescriptor UnresolvedDimension =
        new("EMC0205", DiagnosticSeverity.Error, "Dimension not static");

    public static readonly DiagnosticDescriptor UnsupportedShape =
        new("EMC0206", DiagnosticSeverity.Error, "Unsupported tensor rank or shape");
}
