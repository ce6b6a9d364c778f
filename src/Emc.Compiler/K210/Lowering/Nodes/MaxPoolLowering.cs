using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>MaxPool / GlobalMaxPool → QUANTIZED_MAX_POOL2D (uint8, shares the input's quantization).</summary>
internal sealed class MaxPoolLowering : INodeLowering
{
    public static readonly MaxPoolLowering Instance = new();

    public string Name => "lower-max-pool";

    public string Summary => "MaxPool / GlobalMaxPool → QUANTIZED_MAX_POOL2D on uint8 data";

    public IReadOnlyList<string> OpTypes { get; } = ["MaxPool", "GlobalMaxPool"];

    public void Lower(LoweringContext ctx, Node node)
    {
        var input = ctx.GetMainU8(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        int kh, kw, sh, sw, ph, pw, oh, ow;
        if (node.OpType == "GlobalMaxPool")
        {
            (kh, kw, sh, sw, ph, pw, oh, ow) = (input.Height, input.Width, 1, 1, 0, 0, 1, 1);
        }
        else if (node.Parameters is PoolParameters { Geometry: var negative } && NegativePads(negative))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, NegativePadsMessage);
            return;
        }
        else if (node.Parameters is PoolParameters { Geometry: var g } && g.DilationHeight == 1 && g.DilationWidth == 1
            && node.Outputs.Count == 1)
        {
            (kh, kw, sh, sw, ph, pw, oh, ow) = (g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth);
        }
        else
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "max pool with dilation or an Indices output has no kmodel v3 layer");
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, input.Channels, oh, ow);
        output.QuantFrom = input;
        ctx.Add(new QuantizedMaxPoolLayer(node.Name, input, output, 0, input.Height, input.Width, kh, sh, ph, pw) { KernelW = kw, StrideW = sw });
        ctx.Slot(node.Outputs[0]).MainU8 = output;
    }

    /// <summary>SAME_* pooling with a stride larger than the kernel can start its windows inside the input (negative begin
    /// pad), which the kmodel pool layers cannot express. A negative end pad only trims what no window reaches.</summary>
    internal const string NegativePadsMessage = "SAME auto_pad with a stride larger than the kernel gives negative padding, which kmodel v3 pool layers cannot express";

    internal static bool NegativePads(in Evaluation.Kernels.Pool2DGeometry g) =>
        g.PadTop < 0 || g.PadLeft < 0;
}

