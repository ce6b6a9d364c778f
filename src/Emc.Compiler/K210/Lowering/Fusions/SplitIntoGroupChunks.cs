using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>How a grouped conv splits: <see cref="Count"/> K210_CONVs, each reading <see cref="InChannels"/> input
/// channels (consecutive, whole KPU row groups) and writing <see cref="OutChannels"/> outputs.</summary>
internal sealed record GroupChunks(int InChannels, int OutChannels, int Count);

/// <summary>
/// A grouped or depthwise conv that cannot stay one native layer (a grouped conv, or a depthwise kernel over shifted
/// windows, where each output reads its own channel in every slot) would be one regular conv with zero weights
/// across groups: weights and KPU work × groups. Split instead into chunks of whole groups: each chunk reads an
/// aligned alias of its groups' input channels (and, over windows, stacks only those), and one conv writes its
/// outputs into their slice of the common output (as <see cref="SplitKpuConv"/> does). Exact; weights and KPU work
/// ÷ chunks, at the price of one layer (and one set of shifted copies) per chunk.
/// </summary>
internal sealed class SplitIntoGroupChunks : IPass
{
    public static readonly SplitIntoGroupChunks Instance = new();

    /// <summary>More chunks cost more layers (each chunk over windows has its own shifted copies) for less weight memory.</summary>
    private const int MaxChunks = 16;

    public string Name => "split-into-group-chunks";

    public string Summary => "a grouped conv, or a depthwise one over shifted windows → one K210_CONV per chunk of groups reading only its channels (exact)";

    /// <summary>The chunks, or null when the conv stays one layer (one group, a native depthwise conv, unaligned channels).</summary>
    public static GroupChunks? Plan(ShiftedWindowConv windows, ConvKernelTaps taps, int inputWidth)
    {
        int group = taps.Group, groups = KpuTensorLayout.ForWidth(inputWidth).Groups;
        if (group == 1 || (taps.Depthwise && windows.Direct))
        {
            return null;
        }

        int icg = taps.InChannels / group, ocg = taps.OutChannels / group;
        for (int k = 1; k < group; k++)
        {
            int inputs = k * icg, outputs = k * ocg;
            if (group % k == 0 && group / k <= MaxChunks && inputs % groups == 0 && outputs % groups == 0
                && (windows.Direct ? inputs : windows.Slots * inputs) <= Nodes.ConvLowering.MaxChannels)
            {
                return new GroupChunks(inputs, outputs, group / k);
            }
        }

        return null;
    }

    /// <summary>Per output channel o of chunk j: its taps over chunk j's input channels (direct) or their stack.</summary>
    public static float[] MainWeights(ShiftedWindowConv plan, ConvKernelTaps taps, GroupChunks chunks)
    {
        int k = plan.Kernel, k2 = k * k, inputs = chunks.InChannels;
        int per = (plan.Direct ? inputs : plan.Slots * inputs) * k2;
        var w = new float[taps.OutChannels * per];
        for (int o = 0; o < taps.OutChannels; o++)
        {
            int first = o / chunks.OutChannels * inputs;
            for (int c = 0; c < taps.PlanesPerOutput; c++)
            {
                int local = (taps.Depthwise ? o : c) - first;
                if (local < 0 || local >= inputs)
                {
                    continue; // another chunk's channel: a zero weight of the block-diagonal form
                }

                for (int y = 0; y < taps.Height; y++)
                {
                    var (wy, ty) = plan.Rows.Place(y);
                    for (int x = 0; x < taps.Width; x++)
                    {
                        var (wx, tx) = plan.Cols.Place(x);
                        if (wy < 0 || wx < 0)
                        {
                            continue;
                        }

                        int slot = (wy * plan.Cols.Shifts.Length) + wx;
                        int channel = plan.Direct ? local : (slot * inputs) + local;
                        w[(o * per) + (channel * k2) + (k == 1 ? 0 : (ty * k) + tx)] = taps[o, c, y, x];
                    }
                }
            }
        }

        return w;
    }

    /// <summary>Channels [first, first + count) of a KPU map, in place (first is a multiple of the row groups).</summary>
    public static K210Tensor Slice(LoweringContext ctx, K210Tensor input, int first, int count)
    {
        var layout = KpuTensorLayout.ForWidth(input.Width);
        var slice = ctx.NewTensor($"{input.Name}[{first}:{first + count}]", K210ElementType.UInt8, K210MemoryKind.Kpu, count, input.Height, input.Width);
        slice.AliasOf = input;
        slice.AliasOffset = (long)(first / layout.Groups) * layout.RowLength * input.Height;
        slice.QuantFrom = input;
        return slice;
    }
}
