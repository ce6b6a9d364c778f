using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A PRelu with one slope per channel after a KPU conv (MTCNN's P/R/O-Nets, whose slopes are of both signs). The
/// KPU's activation table is shared by all channels, but its batch-norm words are per channel, and
/// PRelu(z) = max(z, 0) + a·min(z, 0), where a·min(z, 0) is min(a·z, 0) for a ≥ 0 and max(a·z, 0) for a &lt; 0. So the
/// conv computes both parts as 2C output channels, weights [W; a·W], with one table that is ReLU for batch-norm
/// outputs in the usual domain and min(x, 0) for those its batch-norm words move far below it
/// (<see cref="KpuActivationTables.TryReluAndNegativePart"/>); a 1×1 KPU conv with weights [I I] adds the halves and
/// takes the conv's pool (the parts are not monotone alike, so a max pool must see their sum). Exact up to the uint8
/// rounding of each part (both use the PRelu output's quantization); costs one 1×1 layer and twice the conv's output
/// channels at the unpooled size. A PRelu whose producer is not a conv it can join (an Add, a concat, a conv split
/// over several layers) gets the same pair of layers on its own: a 1×1 conv [I; diag(a)] with the table, then the sum.
/// </summary>
internal sealed class PerChannelPReluAsHalves : IPass
{
    public static readonly PerChannelPReluAsHalves Instance = new();

    public string Name => "per-channel-prelu-as-halves";

    public string Summary => "a per-channel PRelu after a conv: the conv outputs max(z,0) and a·min(z,0) as two halves, a 1×1 conv adds them (and pools)";

    /// <summary>The PRelu output channel each of the 2C halves holds a part of: both halves of channel o lie within its range.</summary>
    public static int[] HalvesChannels(int c) => [.. Enumerable.Range(0, 2 * c).Select(i => i % c)];

    /// <summary>The slopes (one per channel) of the PRelu that is the sole consumer of <paramref name="convOutput"/>.</summary>
    public static float[]? Match(LoweringContext ctx, Value convOutput, int channels)
    {
        if (ctx.SoleConsumer(convOutput) is not { OpType: "PRelu" } prelu || prelu.Inputs.Count < 2 || prelu.Inputs[1]?.Constant is not { } slope
            || convOutput.Shape is not { Rank: 4 } shape)
        {
            return null;
        }

        var slopes = ChannelAffine.PerChannel(slope, shape, channels);
        return slopes is not null && slopes.All(float.IsFinite) ? slopes : null;
    }

    /// <summary>Consumes the PRelu and returns its output and the conv's doubled weights and bias.</summary>
    public (Value Output, float[] Weights, float[] Bias) Apply(LoweringContext ctx, Value convOutput, float[] slopes, float[] weights, float[] bias, int perOutput)
    {
        var prelu = ctx.SoleConsumer(convOutput)!;
        ctx.Passes.Record(this);
        ctx.Consume(prelu);
        int c = slopes.Length;
        var doubledWeights = new float[2 * c * perOutput];
        var doubledBias = new float[2 * c];
        Array.Copy(weights, doubledWeights, c * perOutput);
        Array.Copy(bias, doubledBias, c);
        for (int o = 0; o < c; o++)
        {
            for (int i = 0; i < perOutput; i++)
            {
                doubledWeights[((c + o) * perOutput) + i] = slopes[o] * weights[(o * perOutput) + i];
            }

            doubledBias[c + o] = slopes[o] * bias[o];
        }

        return (prelu.Outputs[0], doubledWeights, doubledBias);
    }

    /// <summary>
    /// A per-channel PRelu on a uint8 map of its own (<paramref name="prelu"/> not fused into its producer): the 1×1
    /// conv [I; diag(a)] with the halves' table, then the sum conv. False when it does not apply (no diagnostic).
    /// </summary>
    public bool TryLowerAlone(LoweringContext ctx, Node prelu)
    {
        var x = prelu.Inputs[0]!;
        if (x.Shape is not { Rank: 4 } shape || shape[0] != 1 || prelu.Inputs.Count < 2 || prelu.Inputs[1]?.Constant is not { } slope
            || ChannelAffine.PerChannel(slope, shape, shape[1]) is not { } slopes || !slopes.All(float.IsFinite))
        {
            return false;
        }

        int c = shape[1], h = shape[2], w = shape[3];
        if (!ConvLowering.FitsKpuMap(2 * c, h, w))
        {
            return false;
        }

        var input = ctx.GetKpu(x, prelu);
        if (input is null)
        {
            ctx.Slot(prelu.Outputs[0]).Failed = true;
            return true;
        }

        var (weights, bias) = (new float[2 * c * c], new float[2 * c]);
        for (int o = 0; o < c; o++)
        {
            weights[(o * c) + o] = 1;
            weights[((c + o) * c) + o] = slopes[o];
        }

        ctx.Passes.Record(this);
        var y = prelu.Outputs[0];
        var halves = ctx.NewTensor(y.Name + ".halves", K210ElementType.UInt8, K210MemoryKind.Kpu, 2 * c, h, w);
        halves.RangeSource = y;
        halves.RangeChannels = HalvesChannels(c);
        ctx.Add(new KpuConvLayer(prelu.Name, input, halves, new KpuConvWeights(c, 2 * c, 1, false, weights, bias), KpuActivationFunction.ReluAndNegativePart(slopes), KpuPoolType.Bypass)
        {
            InputValue = x,
        });
        var sum = ctx.NewTensor(y.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, c, h, w);
        sum.RangeSource = y;
        var layer = ctx.Add(new KpuConvLayer(prelu.Name + " (sum of halves)", halves, sum, SumOfHalves(c), KpuActivationFunction.Linear, KpuPoolType.Bypass));
        var slot = ctx.Slot(y);
        slot.Kpu = sum;
        slot.KpuProducer = layer;
        return true;
    }

    /// <summary>The 1×1 conv that adds the halves: output o = input o + input C + o.</summary>
    public static KpuConvWeights SumOfHalves(int channels)
    {
        var weights = new float[channels * 2 * channels];
        for (int o = 0; o < channels; o++)
        {
            weights[(o * 2 * channels) + o] = 1;
            weights[(o * 2 * channels) + channels + o] = 1;
        }

        return new KpuConvWeights(2 * channels, channels, 1, false, weights, new float[channels]);
    }

    /// <summary>A depthwise conv's doubled outputs read their channel twice: the same taps as a regular (block-diagonal) conv.</summary>
    public static float[] DepthwiseAsRegular(float[] weights, int channels, int k2)
    {
        var regular = new float[channels * channels * k2];
        for (int o = 0; o < channels; o++)
        {
            Array.Copy(weights, o * k2, regular, ((o * channels) + o) * k2, k2);
        }

        return regular;
    }
}
