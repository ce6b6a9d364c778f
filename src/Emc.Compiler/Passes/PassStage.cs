namespace Emc.Compiler.Passes;

/// <summary>Where in the pipeline a pass runs (ONNX file → IR graph → K210 layers → kmodel bytes).</summary>
public enum PassStage
{
    /// <summary>Rewrites of the imported IR graph (ONNX semantics preserved).</summary>
    Graph,

    /// <summary>Whole-graph steps of lowering IR to K210 layers, in order.</summary>
    Lowering,

    /// <summary>One lowering per ONNX op type (see <c>K210/Lowering/LoweringTable</c>).</summary>
    NodeLowering,

    /// <summary>Followers folded into the layer a lowering creates (BN into conv, activation into conv, …).</summary>
    Fusion,

    /// <summary>Calibration, quantization, memory planning, emission and checks of the emitted model.</summary>
    Backend,
}
