using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>What a tail asks of the host CPU: its float multiply-adds (convolutions, matrix products, recurrences; the
/// element-wise ops are not counted) and an estimate of their time on the K210's RISC-V core at the cost model's
/// FULLY_CONNECTED rate (docs/cost-model.md: 3 cycles per multiply-add at 400 MHz).</summary>
internal static class TailCost
{
    private const double CyclesPerMultiplyAdd = 3;
    private const double ClockMHz = 400;

    public static long MultiplyAdds(HostTail tail) => tail.Nodes.Sum(MultiplyAdds);

    public static double EstimatedMilliseconds(long multiplyAdds) => multiplyAdds * CyclesPerMultiplyAdd / ClockMHz / 1000;

    private static long MultiplyAdds(Node node) => node.Parameters switch
    {
        ConvParameters { Geometry: var g } => (long)g.Batch * g.OutputChannels * g.OutputHeight * g.OutputWidth * g.InputChannelsPerGroup * g.KernelHeight * g.KernelWidth,
        ConvTransposeParameters p => (long)p.Batch * p.InputChannels * p.InputHeight * p.InputWidth * (p.OutputChannels / p.Group) * p.KernelHeight * p.KernelWidth,
        GemmParameters p => (long)p.M * p.N * p.K,
        LstmParameters { Shape: var s } => (long)s.SeqLength * s.Batch * s.Directions * 4 * s.Hidden * (s.InputSize + s.Hidden),
        GruParameters { Shape: var s } => (long)s.SeqLength * s.Batch * s.Directions * 3 * s.Hidden * (s.InputSize + s.Hidden),
        _ when node.OpType == "MatMul" && node.Inputs[0]?.Shape is { Rank: > 0 } a => node.Outputs[0].Shape!.ElementCount * a[a.Rank - 1],
        _ => 0,
    };
}
