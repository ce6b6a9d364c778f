using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A grouped conv (1 &lt; group &lt; channels) is the regular conv whose output channel o reads only its group's input
/// channels: the other weights are zero, which adds exactly zero (integer weight zero point). As one KPU layer it costs
/// group× the weight bytes and KPU work of the grouped conv, so <see cref="SplitIntoGroupChunks"/> splits it into
/// per-chunk convs wherever the groups' channels fall on whole KPU row groups; unaligned groups keep this form.
/// </summary>
internal sealed class GroupedConvAsBlockDiagonal : IPass
{
    public static readonly GroupedConvAsBlockDiagonal Instance = new();

    public string Name => "grouped-conv-as-block-diagonal";

    public string Summary => "a grouped conv → one regular K210_CONV with zero weights outside each group's channels (exact)";

    public static ConvKernelTaps Expand(ConvKernelTaps taps, int group)
    {
        int oc = taps.OutChannels, ic = taps.InChannels, k2 = taps.Height * taps.Width;
        int icg = ic / group, ocg = oc / group;
        var w = new float[oc * ic * k2];
        for (int o = 0; o < oc; o++)
        {
            int first = o / ocg * icg;
            Array.Copy(taps.Weights, o * icg * k2, w, ((o * ic) + first) * k2, icg * k2);
        }

        return taps with { Weights = w };
    }
}
