using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A depthwise kernel over a stack of shifted copies is no longer depthwise: output c reads its own channel in every
/// slot, and one conv over the whole stack would carry (slots·C)·C weights, nearly all zero, and as much KPU work.
/// Split into channel chunks of g (whole KPU row groups, dividing C), each chunk stacks only its own g channels (an
/// aligned alias of the input) and one 3×3 conv writes its g outputs into their slice of the common output (as
/// <see cref="SplitKpuConv"/> does): weights and KPU work shrink by C/g, at the price of C/g stacks. Still exact.
/// </summary>
internal sealed class DepthwiseWindowsInChannelChunks : IPass
{
    public static readonly DepthwiseWindowsInChannelChunks Instance = new();

    /// <summary>More chunks cost more layers (each chunk has its own shifted copies) for less weight memory.</summary>
    private const int MaxChunks = 16;

    public string Name => "depthwise-windows-in-channel-chunks";

    public string Summary => "a depthwise kernel over shifted windows → one stacked 3×3 K210_CONV per chunk of channels (exact, C/g less weight and KPU work)";

    /// <summary>Channels per chunk, or 0 when the conv stays one stacked conv (few channels, unaligned counts).</summary>
    public static int ChunkChannels(ShiftedWindowConv windows, ConvKernelTaps taps, int inputWidth)
    {
        int c = taps.InChannels, groups = KpuTensorLayout.ForWidth(inputWidth).Groups;
        if (!taps.Depthwise || windows.Direct || c % groups != 0)
        {
            return 0;
        }

        for (int g = groups; g < c; g += groups)
        {
            if (c % g == 0 && c / g <= MaxChunks)
            {
                return g;
            }
        }

        return 0;
    }

    /// <summary>Per output channel o: its 3×3 taps over the g-channel stack of its chunk (slot·g + o mod g).</summary>
    public static float[] MainWeights(ShiftedWindowConv plan, ConvKernelTaps taps, int chunk)
    {
        int per = plan.Slots * chunk * 9;
        var w = new float[taps.OutChannels * per];
        for (int o = 0; o < taps.OutChannels; o++)
        {
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
                    w[(o * per) + (((slot * chunk) + (o % chunk)) * 9) + (ty * 3) + tx] = taps[o, 0, y, x];
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
