namespace Emc.Imaging;

/// <summary>
/// Per-channel map from an 8-bit sample x to a float: <c>x · Scale[c] + Offset[c]</c> (computed in double,
/// rounded once to float). Channels are in the output tensor's order; one entry serves every channel.
/// </summary>
public sealed class ChannelAffine
{
    private ChannelAffine(double[] scale, double[] offset)
    {
        Scale = scale;
        Offset = offset;
    }

    public IReadOnlyList<double> Scale { get; }

    public IReadOnlyList<double> Offset { get; }

    /// <summary>Identity: the raw sample 0..255 as a float.</summary>
    public static ChannelAffine Identity { get; } = new([1], [0]);

    /// <summary><c>(x/255 − mean[c]) / std[c]</c>, e.g. ImageNet mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static ChannelAffine FromMeanStd(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        int n = Math.Max(mean.Count, std.Count);
        var scale = new double[n];
        var offset = new double[n];
        for (int c = 0; c < n; c++)
        {
            double m = mean[Math.Min(c, mean.Count - 1)], s = std[Math.Min(c, std.Count - 1)];
            scale[c] = 1.0 / (255.0 * s);
            offset[c] = -m / s;
        }

        return new ChannelAffine(scale, offset);
    }

    /// <summary>Maps 0..255 linearly onto [lo, hi]: <c>x/255 · (hi − lo) + lo</c>; (−1, 1) gives MobileNet's <c>x/127.5 − 1</c>.</summary>
    public static ChannelAffine ToRange(double lo, double hi) => new([(hi - lo) / 255.0], [lo]);

    internal string? Validate(int channels)
    {
        if (Scale.Count != 1 && Scale.Count != channels)
        {
            return $"affine map has {Scale.Count} channel entries for a {channels}-channel tensor";
        }

        for (int c = 0; c < Scale.Count; c++)
        {
            if (!double.IsFinite(Scale[c]) || !double.IsFinite(Offset[c]))
            {
                return $"affine map for channel {c} is not finite (scale {Scale[c]}, offset {Offset[c]}); is a std zero?";
            }
        }

        return null;
    }

    internal float[] Table(int channel)
    {
        int c = Math.Min(channel, Scale.Count - 1);
        var table = new float[256];
        for (int x = 0; x < 256; x++)
        {
            table[x] = (float)((x * Scale[c]) + Offset[c]);
        }

        return table;
    }
}
