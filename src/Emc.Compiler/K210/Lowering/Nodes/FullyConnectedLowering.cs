using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>Gemm / MatMul with constant weights (+ following constant Add, Relu, Clip(0,6)) → FULLY_CONNECTED.</summary>
internal sealed class FullyConnectedLowering : INodeLowering
{
    public static readonly FullyConnectedLowering Instance = new();

    public string Name => "lower-fully-connected";

    public string Summary => "Gemm / MatMul with constant weights → float FULLY_CONNECTED (or the KPU when chosen)";

    public IReadOnlyList<string> OpTypes { get; } = ["Gemm", "MatMul"];

    public IReadOnlyList<IPass> Rewrites { get; } =
        [FoldFullyConnectedBiasAdd.Instance, FoldBatchNorm.Instance, FullyConnectedOnKpu.Instance, FuseActivationIntoFullyConnected.Instance, PerChannelPReluAfterFullyConnected.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        float[]? weights = null;
        float[]? bias = null;
        int n = 0, kDim = 0;
        if (node.OpType == "Gemm" && node.Parameters is GemmParameters gp && !gp.TransA && gp.M == 1 && node.Inputs[1]?.Constant is { } b
            && (!gp.HasC || node.Inputs[2]?.Constant is not null))
        {
            (n, kDim) = (gp.N, gp.K);
            weights = ToRows(b.ToFloatArray(), gp.TransB, kDim, n, gp.Alpha);
            bias = new float[n];
            if (gp.HasC)
            {
                var c = node.Inputs[2]!.Constant!.ToFloatArray();
                for (int o = 0; o < n; o++)
                {
                    bias[o] = gp.Beta * (c.Length == 1 ? c[0] : c[o % c.Length]);
                }
            }
        }
        else if (node.OpType == "MatMul" && node.Parameters is MatMulParameters mp && mp.M == 1 && node.Inputs[1]?.Constant is { Shape.Rank: 2 } mb)
        {
            (n, kDim) = (mp.N, mp.K);
            weights = ToRows(mb.ToFloatArray(), false, kDim, n, 1);
            bias = new float[n];
        }

        if (weights is null || bias is null)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "only a batch-1 product with constant weights (transA = 0) maps to FULLY_CONNECTED");
            return;
        }

        var output = FoldFullyConnectedBiasAdd.Instance.Apply(ctx, node.Outputs[0], bias);
        output = LinearFollowers.Fold(ctx, output, new LinearWeights(weights, bias, kDim));
        var pairSlopes = ctx.Slot(node.Inputs[0]!).ReluPairSlopes;
        if (pairSlopes is not null)
        {
            (weights, kDim) = (PerChannelPReluAfterFullyConnected.ConsumerWeights(weights, pairSlopes, n), 2 * kDim);
        }
        else if (FullyConnectedOnKpu.Instance.TryLower(ctx, node, output, weights, bias, kDim, n))
        {
            return;
        }

        var input = ctx.GetFloat(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        float[]? slopes = null;
        int activation;
        if (PerChannelPReluAfterFullyConnected.Instance.TryApply(ctx, output, weights, bias, n, kDim) is { } pair)
        {
            (output, slopes, weights, bias, activation, n) = (pair.Output, pair.Slopes, pair.Weights, pair.Bias, 1, 2 * n);
        }
        else
        {
            (output, activation) = FuseActivationIntoFullyConnected.Instance.Apply(ctx, output);
        }

        var result = ctx.NewTensor(output.Name, K210ElementType.Float32, K210MemoryKind.Main, n, 1, 1);
        ctx.Add(new FullyConnectedLayer(node.Name, input, result, weights, bias, activation));
        ctx.Slot(output).Float = result;
        ctx.Slot(output).ReluPairSlopes = slopes;
    }

    /// <summary>Weights as [out][in] rows scaled by alpha.</summary>
    private static float[] ToRows(float[] b, bool transB, int k, int n, float alpha)
    {
        var rows = new float[n * k];
        for (int o = 0; o < n; o++)
        {
            for (int i = 0; i < k; i++)
            {
                rows[(o * k) + i] = alpha * (transB ? b[(o * k) + i] : b[(i * n) + o]);
            }
        }

        return rows;
    }
}

