using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.K210.Lowering.Steps;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A KPU map [C, H, W] wider than 32 pixels is stored one channel after another, rows of row_len units (spec §3.2), so
/// its bytes are also the map [C·k, H/k, W] for any k dividing H: channel c·k + j is rows j·H/k … (j + 1)·H/k − 1 of
/// channel c, with the stock channel_switch_addr = row_len·H/k. Main memory agrees (planar C-major both ways). A layer
/// that maps every pixel on its own (a 1×1 conv, no pool) can therefore run on the row blocks, and each of its output
/// planes holds H·W/k pixels — within channel_byte_num's 65536 — while the bytes it writes are the whole map's.
/// </summary>
internal static class RowBlockView
{
    /// <summary>The smallest k ≥ 2 for which the row blocks of a map over 65536 pixels are a legal KPU map with planes of at
    /// most 65536 pixels; 1 when the map fits one plane; 0 when no k does.</summary>
    public static int Factor(int channels, int height, int width)
    {
        if ((long)height * width <= CheckKpuLimits.MaxMainOutputPlane)
        {
            return 1;
        }

        if (KpuTensorLayout.ForWidth(width).Groups != 1)
        {
            return 0;
        }

        for (int k = 2; k <= height / ConvLowering.MinSize; k++)
        {
            if (height % k == 0 && (long)(height / k) * width <= CheckKpuLimits.MaxMainOutputPlane && ConvLowering.FitsKpuMap(channels * k, height / k, width))
            {
                return k;
            }
        }

        return 0;
    }

    /// <summary>The same bytes seen with the other shape: [C·k, H/k, W] of a [C, H, W] map or back (an alias at offset 0,
    /// same quantization).</summary>
    public static K210Tensor Reshaped(LoweringContext ctx, K210Tensor map, int channels, int height, string suffix)
    {
        var view = ctx.NewTensor(map.Name + suffix, map.Type, map.Memory, channels, height, map.Width);
        view.AliasOf = map;
        view.QuantFrom = map;
        view.IsDeviceInput = map.IsDeviceInput;
        return view;
    }
}
