using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>AveragePool → AVERAGE_POOL2D (float, divisor = valid taps); GlobalAveragePool and ReduceMean over H and W →
/// GLOBAL_AVERAGE_POOL2D.</summary>
internal sealed class AveragePoolLowering : INodeLowering
{
    public static readonly AveragePoolLowering Instance = new();

    public string Name => "lower-average-pool";

    public string Summary => "AveragePool → AVERAGE_POOL2D, GlobalAveragePool, ReduceMean over H,W (or a whole-map AveragePool) → GLOBAL_AVERAGE_POOL2D, on float data";

    public IReadOnlyList<string> OpTypes { get; } = ["AveragePool", "GlobalAveragePool", "ReduceMean"];

    public void Lower(LoweringContext ctx, Node node)
    {
        if (node.OpType == "ReduceMean" && !(node.Parameters is ReduceParameters r && node.Inputs[0]?.Shape is { Rank: 4 } shape && shape[0] == 1 && r.IsSpatialMean(4)))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node,
                "only the mean over height and width of a [1, C, H, W] map (axes 2 and 3) has a kmodel v3 layer (GLOBAL_AVERAGE_POOL2D)");
            return;
        }

        var input = ctx.GetFloat(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        if (node.OpType is "GlobalAveragePool" or "ReduceMean")
        {
            var gap = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, 1, 1);
            ctx.Add(new GlobalAveragePoolLayer(node.Name, input, gap));
            ctx.Slot(node.Outputs[0]).Float = gap;
            return;
        }

        if (node.Parameters is not PoolParameters { Geometry: var g } p || g.DilationHeight != 1 || g.DilationWidth != 1)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "average pool with dilation has no kmodel v3 layer");
            return;
        }

        if (MaxPoolLowering.NegativePads(g))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, MaxPoolLowering.NegativePadsMessage);
            return;
        }

        bool padded = g.PadTop > 0 || g.PadLeft > 0 || g.PadBottom > 0 || g.PadRight > 0;
        if (p.CountIncludePad && padded)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "count_include_pad = 1 with padding: AVERAGE_POOL2D divides by the valid taps only");
            return;
        }

        if (g.OutputHeight == 1 && g.OutputWidth == 1 && !padded && g.KernelHeight == g.InputHeight && g.KernelWidth == g.InputWidth)
        {
            var gap = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, 1, 1);
            ctx.Add(new GlobalAveragePoolLayer(node.Name, input, gap));
            ctx.Slot(node.Outputs[0]).Float = gap;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, g.OutputHeight, g.OutputWidth);
        ctx.Add(new AveragePoolLayer(node.Name, input, output, g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.PadTop, g.PadLeft));
        ctx.Slot(node.Outputs[0]).Float = output;
    }
}

