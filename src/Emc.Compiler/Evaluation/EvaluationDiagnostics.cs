using Emc.Diagnostics;

namespace Emc.Compiler.Evaluation;

/// <summary>Problems binding a graph or its inputs to the reference evaluator (EMC025x).</summary>
public static class EvaluationDiagnostics
{
    public static readonly DiagnosticDescriptor UnresolvedNode =
        new("EMC0250", DiagnosticSeverity.Error, "Node has no operator or output shape");

    public static readonly DiagnosticDescriptor InputCount =
        new("EMC0251", DiagnosticSeverity.Error, "Wrong number of evaluator inputs");

    public static readonly DiagnosticDescriptor InputType =
        new("EMC0252", DiagnosticSeverity.Error, "Evaluator input has the wrong element type");

    public static readonly DiagnosticDescriptor InputShape =
        new("EMC0253", DiagnosticSeverity.Error, "Evaluator input has the wrong shape");

    public static readonly DiagnosticDescriptor UnboundValue =
        new("EMC0254", DiagnosticSeverity.Error, "Value read before anything computes it");
}
