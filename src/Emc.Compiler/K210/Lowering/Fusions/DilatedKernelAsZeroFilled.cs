using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A dilated kernel is the undilated kernel of extent (k − 1)·d + 1 with zero taps between the real ones: the
/// same sums, so exact. The larger kernel then goes through <see cref="StackShiftedWindows"/> (d = 2 on a 3×3
/// is a 5×5, d = 3 a 7×7, d = 5 an 11×11); zero rows and columns cost KPU work but no accuracy.
/// </summary>
internal sealed class DilatedKernelAsZeroFilled : IPass
{
    public static readonly DilatedKernelAsZeroFilled Instance = new();

    public string Name => "dilated-kernel-as-zero-filled";

    public string Summary => "a dilated conv kernel → the undilated kernel of its extent with zero taps between (exact)";

    /// <summary>The weights are laid out with the grouped (not yet block-diagonal) plane count.</summary>
    public static ConvKernelTaps Expand(ConvKernelTaps taps, int dh, int dw)
    {
        int kh = taps.Height, kw = taps.Width, eh = ((kh - 1) * dh) + 1, ew = ((kw - 1) * dw) + 1;
        int planes = taps.Weights.Length / (taps.OutChannels * kh * kw);
        var w = new float[taps.OutChannels * planes * eh * ew];
        for (int op = 0; op < taps.OutChannels * planes; op++)
        {
            for (int y = 0; y < kh; y++)
            {
                for (int x = 0; x < kw; x++)
                {
                    w[(((op * eh) + (y * dh)) * ew) + (x * dw)] = taps.Weights[(((op * kh) + y) * kw) + x];
                }
            }
        }

        return taps with { Height = eh, Width = ew, Weights = w };
    }
}
