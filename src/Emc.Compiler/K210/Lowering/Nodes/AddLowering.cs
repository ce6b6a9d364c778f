using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Add of two run-time tensors of one shape: QUANTIZED_ADD when both already exist as uint8 (conv outputs, pools,
/// other quantized adds), with a following Relu/Clip fused through the output range; otherwise float ADD. Sub of two
/// such uint8 tensors is the same layer with a negated multiplier (<see cref="TryLowerDifference"/>).
/// </summary>
internal sealed class AddLowering : INodeLowering
{
    public static readonly AddLowering Instance = new();

    public string Name => "lower-add";

    public string Summary => "Add of two run-time tensors of one shape → QUANTIZED_ADD when both are uint8, else float ADD";

    public IReadOnlyList<string> OpTypes { get; } = ["Add"];

    public IReadOnlyList<IPass> Rewrites { get; } = [FuseClampIntoOutputRange.Instance, ElementwiseTable.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        // x + c with one repeated constant (or x + f(x)) is an element-wise function of x: a table.
        if ((node.Inputs.Any(v => v?.Constant is not null) || node.Inputs[0] == node.Inputs[1]) && ElementwiseTable.Instance.TryLower(ctx, node))
        {
            return;
        }

        if (node.Inputs.Count != 2 || node.Inputs[0]?.Shape is not { } a || node.Inputs[1]?.Shape is not { } b || !a.Equals(b)
            || node.Inputs[0]!.Constant is not null || node.Inputs[1]!.Constant is not null)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "ADD needs two run-time inputs of the same shape (no broadcasting or constants in kmodel v3)");
            return;
        }

        if (!ctx.IsUInt8(node.Inputs[0]!) || !ctx.IsUInt8(node.Inputs[1]!))
        {
            LowerFloat(ctx, node);
            return;
        }

        LowerQuantized(ctx, node, subtract: false);
    }

    /// <summary>Sub of two run-time tensors of one shape that both exist as uint8: QUANTIZED_ADD with b's multiplier
    /// negated. False (nothing done) otherwise.</summary>
    public static bool TryLowerDifference(LoweringContext ctx, Node node)
    {
        if (node.OpType != "Sub" || node.Inputs.Count != 2 || node.Inputs[0] is not { Constant: null, Shape: { } a } x || node.Inputs[1] is not { Constant: null, Shape: { } b } y
            || !a.Equals(b) || !ctx.IsUInt8(x) || !ctx.IsUInt8(y))
        {
            return false;
        }

        LowerQuantized(ctx, node, subtract: true);
        return true;
    }

    private static void LowerQuantized(LoweringContext ctx, Node node, bool subtract)
    {
        var x = ctx.GetMainU8(node.Inputs[0]!, node);
        var y = ctx.GetMainU8(node.Inputs[1]!, node);
        var output = FuseClampIntoOutputRange.Instance.Apply(ctx, node.Outputs[0]);
        if (x is null || y is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        var result = ctx.NewTensor(output.Name, K210ElementType.UInt8, K210MemoryKind.Main, x.Channels, x.Height, x.Width);
        result.RangeSource = output;
        ctx.Add(new QuantizedAddLayer(node.Name, x, y, result, subtract));
        ctx.Slot(output).MainU8 = result;
    }

    private static void LowerFloat(LoweringContext ctx, Node node)
    {
        var x = ctx.GetFloat(node.Inputs[0]!, node);
        var y = ctx.GetFloat(node.Inputs[1]!, node);
        if (x is null || y is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, x.Channels, x.Height, x.Width);
        ctx.Add(new AddLayer(node.Name, x, y, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }
}
