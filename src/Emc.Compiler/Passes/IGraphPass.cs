namespace Emc.Compiler.Passes;

/// <summary>A rewrite of the IR graph that keeps its ONNX meaning (run at import, so the evaluator sees it too).</summary>
internal interface IGraphPass : IPass
{
    /// <summary>Rewrites in place; returns how many places it changed.</summary>
    int Run(Ir.Graph graph);
}
