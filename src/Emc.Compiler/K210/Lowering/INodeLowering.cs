using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Lowers the nodes of some ONNX op types to K210 layers. Every lowering is one entry of <see cref="LoweringTable"/>;
/// it reads the typed parameters the importer put in <see cref="Node.Parameters"/>, never raw attributes.
/// </summary>
internal interface INodeLowering : IPass
{
    /// <summary>The ONNX op types (default domain) this lowering takes.</summary>
    IReadOnlyList<string> OpTypes { get; }

    /// <summary>The fusions and realisation choices this lowering may apply, in the order it tries them.</summary>
    IReadOnlyList<IPass> Rewrites => [];

    /// <summary>Lowers the node, or reports why it cannot (marking its outputs failed).</summary>
    void Lower(LoweringContext ctx, Node node);

    /// <summary>For a node whose inputs already failed: reports what is wrong with the node itself, so one pass lists
    /// every problem. Most lowerings have nothing to add.</summary>
    void ReportOwnProblems(LoweringContext ctx, Node node)
    {
    }
}
