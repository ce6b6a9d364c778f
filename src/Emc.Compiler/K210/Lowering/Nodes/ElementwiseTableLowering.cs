using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// An element-wise function of one tensor (an <see cref="ElementwiseCone"/>: Tanh, Selu, HardSwish, SiLU, a Relu or
/// Clip no conv took, x·c, x + c, …) → one REQUANTIZE whose 256-entry table is the function on the input's codes.
/// A float input is quantized first (on its calibrated range).
/// </summary>
internal sealed class ElementwiseTableLowering : INodeLowering
{
    public static readonly ElementwiseTableLowering Instance = new();

    public string Name => "lower-elementwise-table";

    public string Summary => "an element-wise function of one tensor (Tanh, Selu, HardSwish, SiLU, Mish, a lone Relu/Clip, x·c …) → REQUANTIZE with the function's 256-entry table";

    public IReadOnlyList<string> OpTypes { get; } =
    [
        "Relu", "Clip", "LeakyRelu", "PRelu", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus", "Exp", "Neg", "Sign",
        "Shrink", "Sub", "Mul", "Div", "Max", "Min",
    ];

    public IReadOnlyList<IPass> Rewrites { get; } = [ElementwiseTable.Instance, PerChannelPReluAsHalves.Instance, PerChannelAffineAsDepthwiseConv.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        if (!ElementwiseTable.Instance.TryLower(ctx, node) && !(node.OpType == "PRelu" && PerChannelPReluAsHalves.Instance.TryLowerAlone(ctx, node))
            && !PerChannelAffineAsDepthwiseConv.Instance.TryLower(ctx, node) && !AddLowering.TryLowerDifference(ctx, node))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedOperator, node, node.Inputs.Count(v => v is { Constant: null }) > 1
                ? "an element-wise op of two run-time tensors (other than Add, Sub of two uint8 tensors of one shape, or one tensor and a function of it) has no kmodel v3 layer"
                : "a constant operand that varies across elements (per channel or per position) cannot be one 256-entry REQUANTIZE table");
        }
    }
}
