using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A Transpose that swaps two blocks of axes — (0,2,3,1) NCHW→NHWC before a Keras/TF flatten or a detection head's
/// reshape, (0,2,1) of [1,C,N], (0,3,1,2) NHWC→NCHW — is TENSORFLOW_FLATTEN with C = the leading block and H·W = the
/// trailing one: float32 data gets TENSORFLOW_FLATTEN, uint8 data QUANTIZED_TENSORFLOW_FLATTEN (an exact byte
/// reorder sharing the input's quantization; run by the patched runtime, the stock SDK runs only the float form).
/// </summary>
internal sealed class TransposeAsTensorflowFlatten : IPass
{
    public static readonly TransposeAsTensorflowFlatten Instance = new();

    public string Name => "transpose-as-tensorflow-flatten";

    public string Summary => "Transpose swapping two blocks of axes (NCHW→NHWC) → (QUANTIZED_)TENSORFLOW_FLATTEN";

    public void Apply(LoweringContext ctx, Node node, TransposeMovement movement)
    {
        var value = node.Inputs[0]!;
        var output = node.Outputs[0];
        var slot = ctx.Slot(value);
        var source = slot.Float ?? ctx.GetMainU8(value, node);
        if (source is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        ctx.Passes.Record(this);
        var (c, h, w) = LoweringContext.Chw(output.Shape!);
        var result = ctx.NewTensor(output.Name, source.Type, K210MemoryKind.Main, c, h, w);
        ctx.Add(new TensorflowFlattenLayer(node.Name, source, result, (int)movement.Leading, movement.TrailingHeight, movement.TrailingWidth));
        if (source.Type == K210ElementType.Float32)
        {
            ctx.Slot(output).Float = result;
        }
        else
        {
            result.QuantFrom = source;
            ctx.Slot(output).MainU8 = result;
        }
    }
}
