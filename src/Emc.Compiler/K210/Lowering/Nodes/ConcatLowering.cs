using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// Concat of planar tensors (channel axis, or any axis whose outer dimensions are 1: a byte concatenation), in order
/// of preference: (1) exclusive placement — every input is a KPU conv result used only here, so each conv's
/// main-memory output is placed straight into its slice of the output buffer and all share the output's (s, b):
/// no layer; (2) QUANTIZED_CONCAT of uint8 inputs, each re-quantized to the output's (s, b) with REQUANTIZE
/// (convs used only here adopt the output range instead); (3) float CONCAT.
/// </summary>
internal sealed class ConcatLowering : INodeLowering
{
    public static readonly ConcatLowering Instance = new();

    public string Name => "lower-concat";

    public string Summary => "Concat of whole planar tensors → in-place placement, QUANTIZED_CONCAT (+REQUANTIZE) or float CONCAT";

    public IReadOnlyList<string> OpTypes { get; } = ["Concat"];

    public IReadOnlyList<IPass> Rewrites { get; } = [PlaceConcatInputsInPlace.Instance, RequantizeConcatInputs.Instance, ConcatInnerAxisByViews.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        var shape = node.Outputs[0].Shape!;
        int axis = ((ConcatParameters)node.Parameters!).Axis;
        if (ConcatInnerAxisByViews.Applies(node))
        {
            ConcatInnerAxisByViews.Instance.Apply(ctx, node);
            return;
        }

        if (!Enumerable.Range(0, axis).All(d => shape[d] == 1) || node.Inputs.Any(v => v is null || v.Constant is not null))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node,
                $"concat along axis {axis} of {shape} is not a concatenation of whole planar tensors (kmodel v3 concatenates along channels only) or has constant inputs");
            return;
        }

        if (PlaceConcatInputsInPlace.Instance.TryApply(ctx, node))
        {
            return;
        }

        if (node.Inputs.All(v => ctx.IsUInt8(v!)))
        {
            RequantizeConcatInputs.Instance.Apply(ctx, node);
            return;
        }

        LowerFloat(ctx, node);
    }

    private static void LowerFloat(LoweringContext ctx, Node node)
    {
        var inputs = new List<K210Tensor>();
        foreach (var v in node.Inputs)
        {
            var t = v is null ? null : ctx.GetFloat(v, node);
            if (t is null)
            {
                ctx.Slot(node.Outputs[0]).Failed = true;
                return;
            }

            inputs.Add(t);
        }

        var (c, h, w) = LoweringContext.Chw(node.Outputs[0].Shape!);
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, c, h, w);
        ctx.Add(new ConcatLayer(node.Name, inputs, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }
}

