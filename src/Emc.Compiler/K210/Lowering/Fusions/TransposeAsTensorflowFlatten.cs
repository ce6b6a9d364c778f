using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A Transpose that swaps two blocks of axes — (0,2,3,1) NCHW→NHWC before a Keras/TF flatten or a detection head's
/// reshape, (0,2,1) of [1,C,N], (0,3,1,2) NHWC→NCHW — is TENSORFLOW_FLATTEN with C = the leading block and H·W = the
/// trailing one. The float form (which the stock SDK runs) is used when the data is float or is only read as float
/// afterwards (graph outputs, CPU fully connected, softmax, sigmoid: the dequantize moves before the reorder).
/// uint8 data read as uint8 is dequantized, reordered as float and quantized back with the same (s, b) — the same
/// bytes, since q·scale + bias rounds back to q — because QUANTIZED_TENSORFLOW_FLATTEN (type 21, an exact byte
/// reorder) runs only on Maix-EMC's patched kpu.c, not on the stock SDK.
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
        var u8 = slot.Float is null && !ReadAsFloat(ctx, output) ? ctx.GetMainU8(value, node) : null;
        var source = slot.Float ?? ctx.GetFloat(value, node);
        if (source is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        ctx.Passes.Record(this);
        var (c, h, w) = LoweringContext.Chw(output.Shape!);
        var result = ctx.NewTensor(output.Name, K210ElementType.Float32, K210MemoryKind.Main, c, h, w);
        ctx.Add(new TensorflowFlattenLayer(node.Name, source, result, (int)movement.Leading, movement.TrailingHeight, movement.TrailingWidth));
        if (u8 is null)
        {
            ctx.Slot(output).Float = result;
            return;
        }

        // Its readers take uint8 (and choose their realisation by it, e.g. a slice as a pick): they get only the bytes.
        var requantized = ctx.NewTensor(output.Name + ".u8", K210ElementType.UInt8, K210MemoryKind.Main, c, h, w);
        requantized.QuantFrom = u8;
        ctx.Add(new QuantizeLayer(node.Name, result, requantized));
        ctx.Slot(output).MainU8 = requantized;
    }

    /// <summary>True when every reader of the value (through reshape-like aliases) takes float data.</summary>
    internal static bool ReadAsFloat(LoweringContext ctx, Value value)
    {
        if (value.Consumers.Count == 0)
        {
            return ctx.Graph.Outputs.Contains(value);
        }

        bool cpuFullyConnected = (ctx.Options.FullyConnected == FullyConnectedTarget.Default ? FullyConnectedOnKpu.DefaultTarget : ctx.Options.FullyConnected)
            == FullyConnectedTarget.Cpu;
        return value.Consumers.All(c => c.OpType switch
        {
            "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Identity" => c.Inputs[0] == value && ReadAsFloat(ctx, c.Outputs[0]),
            "Softmax" or "Sigmoid" => true,
            "Gemm" or "MatMul" => cpuFullyConnected,
            _ => false,
        });
    }
}
