using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Gemm/MatMul on the KPU (nncase v0.1's default, spec §8 step 7): the uint8 input vector goes to pixel (0, 0) of a
/// 4×4 map (K210_ADD_PADDING), a 1×1 K210_CONV computes every output channel (the other 15 pixels are garbage
/// that a 1×1 kernel never mixes in), and K210_REMOVE_PADDING takes pixel (0, 0) of each plane back. A following
/// Relu / Clip(0, max) is the output range's clamp.
/// </summary>
internal sealed class FullyConnectedOnKpu : IPass
{
    public static readonly FullyConnectedOnKpu Instance = new();

    public string Name => "fully-connected-on-kpu";

    public string Summary => "with --fully-connected kpu: Gemm/MatMul → K210_ADD_PADDING, a 1×1 K210_CONV on a 4×4 map, K210_REMOVE_PADDING";

    /// <summary>
    /// What <see cref="FullyConnectedTarget.Default"/> stands for. Measured on the generated-network tests (seeds 3, 7,
    /// 11, 20; output SQNR vs the float evaluator, CPU → KPU): 46.7 → 46.1, 102.8 → 82.7, 73.3 → 69.5, 75.4 → 48.3 dB.
    /// The KPU path adds an input QUANTIZE, 8-bit weights and an 8-bit output, and does 16× the MACs (a 4×4 map) on the
    /// KPU instead of in·out float MACs on the 400 MHz RV64 FPU — for heads of at most 1024×1024 (≤ 1 M MACs, a few ms)
    /// the CPU's exact float result wins; the KPU stays an option for speed.
    /// </summary>
    public static FullyConnectedTarget DefaultTarget => FullyConnectedTarget.Cpu;

    public bool TryLower(LoweringContext ctx, Node node, Value output, float[] weights, float[] bias, int inputs, int outputs)
    {
        var target = ctx.Options.FullyConnected == FullyConnectedTarget.Default ? DefaultTarget : ctx.Options.FullyConnected;
        if (target != FullyConnectedTarget.Kpu)
        {
            return false;
        }

        var kpuWeights = new KpuConvWeights(inputs, outputs, 1, false, weights, bias);
        if (KpuLimit(inputs, outputs, ConvLowering.WeightLoads(kpuWeights, ctx.Options.WeightBits)) is { } limit)
        {
            // Asked for the KPU but kept on the CPU: say so, and why (issue 14 item 5).
            ctx.Diagnostics.Add(CompilerDiagnostics.FullyConnectedKeptOnCpu.Create(
                $"node '{node.Name}' ({node.OpType}): stays a CPU FULLY_CONNECTED: {limit}", ctx.Graph.SourcePath, node.Name, node.OpType));
            return false;
        }

        ctx.Passes.Record(this);
        var vector = ctx.GetMainU8(node.Inputs[0]!, node);
        var final = FuseClampIntoOutputRange.Instance.Apply(ctx, output);
        if (vector is null)
        {
            ctx.Slot(final).Failed = true;
            return true;
        }

        const int side = ConvLowering.MinSize;
        var padded = ctx.NewTensor(node.Inputs[0]!.Name + ".pad4", K210ElementType.UInt8, K210MemoryKind.Kpu, inputs, side, side);
        padded.QuantFrom = vector;
        ctx.Add(new AddPaddingLayer(node.Name, vector, padded));

        var map = ctx.NewTensor(final.Name + ".4x4", K210ElementType.UInt8, K210MemoryKind.Kpu, outputs, side, side);
        map.RangeSource = final;
        var conv = ctx.Add(new KpuConvLayer(node.Name, padded, map, kpuWeights, KpuActivationFunction.Linear, KpuPoolType.Bypass));
        var planes = ctx.EnsureConvMainOutput(conv);

        var result = ctx.NewTensor(final.Name, K210ElementType.UInt8, K210MemoryKind.Main, outputs, 1, 1);
        result.QuantFrom = planes;
        ctx.Add(new RemovePaddingLayer(node.Name, planes, result));
        ctx.Slot(final).MainU8 = result;
        return true;
    }

    /// <summary>The first KPU limit an in→out layer exceeds as a 1×1 conv (null when it fits): the input vector is the
    /// conv's input channels, the outputs its output channels.</summary>
    private static string? KpuLimit(int inputs, int outputs, (int PerLoad, int Loads) weightLoads)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (inputs > ConvLowering.MaxChannels)
        {
            return string.Create(c, $"its {inputs} inputs exceed the KPU conv's {ConvLowering.MaxChannels} input channels");
        }

        if (outputs > ConvLowering.MaxChannels)
        {
            return string.Create(c, $"its {outputs} outputs exceed the KPU conv's {ConvLowering.MaxChannels} output channels");
        }

        return weightLoads is { PerLoad: 0 } or { Loads: > ConvLowering.MaxLoads }
            ? string.Create(c, $"its weights need more than the KPU's {ConvLowering.MaxLoads} weight loads")
            : null;
    }
}
