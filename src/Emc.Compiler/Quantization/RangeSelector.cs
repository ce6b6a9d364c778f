using Emc.Compiler.Compilation;

namespace Emc.Compiler.Quantization;

/// <summary>
/// Chooses a tensor's 8-bit quantization range from its calibration histogram (spec §7.2 uses min/max):
/// MinMax; Percentile (0.01 % clipped at each end); Mse (the proportional shrink of [min, max] that minimises the
/// expected squared quantization error, clipping included); Kld (TensorRT-style: the clipping threshold whose
/// 255-level quantized distribution has the smallest KL divergence from the clipped reference distribution);
/// Consumer (<see cref="ConsumerMse"/>). All ranges still contain 0.
/// </summary>
internal static class RangeSelector
{
    public const double PercentileKept = 0.9999;

    public static (double Min, double Max) Select(TensorStatistics stats, CalibrationMethod method)
    {
        if (!double.IsFinite(stats.Min) || !double.IsFinite(stats.Max))
        {
            return (0, 1);
        }

        double min = Math.Min(stats.Min, 0), max = Math.Max(stats.Max, 0);
        if (stats.BinWidth == 0 || stats.Total == 0)
        {
            return (min, max);
        }

        return method switch
        {
            CalibrationMethod.Percentile => Percentile(stats, min, max),
            CalibrationMethod.Mse => Mse(stats, min, max),
            CalibrationMethod.Kld => Kld(stats, min, max),
            CalibrationMethod.Consumer => ConsumerMse.Select(stats, min, max),
            _ => (min, max),
        };
    }

    private static (double, double) Percentile(TensorStatistics s, double min, double max)
    {
        var counts = s.Counts;
        long tail = (long)Math.Floor((1 - PercentileKept) * s.Total);
        long seen = 0;
        double lo = min;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen > tail)
            {
                lo = Math.Max(min, s.Edge(i));
                break;
            }
        }

        seen = 0;
        double hi = max;
        for (int i = counts.Length - 1; i >= 0; i--)
        {
            seen += counts[i];
            if (seen > tail)
            {
                hi = Math.Min(max, s.Edge(i) + s.BinWidth);
                break;
            }
        }

        return (Math.Min(lo, 0), Math.Max(hi, 0));
    }

    /// <summary>Expected squared error of quantizing the histogram (bin centres) with range [lo, hi].</summary>
    private static double SquaredError(TensorStatistics s, double lo, double hi)
    {
        var q = QuantParam.FromRange(lo, hi);
        var counts = s.Counts;
        double err = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            double c = s.Edge(i) + (s.BinWidth / 2);
            double d = q.Dequantize(q.Quantize(c)) - c;
            err += counts[i] * d * d;
        }

        return err;
    }

    private static (double, double) Mse(TensorStatistics s, double min, double max)
    {
        double best = double.PositiveInfinity;
        (double, double) bestRange = (min, max);
        for (int i = 0; i <= 150; i++)
        {
            double f = Math.Pow(0.97, i); // down to ~1 % of the observed range
            double err = SquaredError(s, min * f, max * f);
            if (err < best)
            {
                best = err;
                bestRange = (min * f, max * f);
            }
        }

        return bestRange;
    }

    /// <summary>
    /// KL-divergence calibration over |v| (one-sided data: the positive side with 255 levels; two-sided: the
    /// folded magnitude with 127 levels per side); the threshold never exceeds the observed extremes.
    /// </summary>
    private static (double, double) Kld(TensorStatistics s, double min, double max)
    {
        var counts = s.Counts;
        int half = TensorStatistics.HalfBins;
        bool oneSided = min >= 0 || max <= 0;
        var magnitude = new long[half];
        for (int k = 0; k < half; k++)
        {
            magnitude[k] = counts[half + k] + counts[half - 1 - k];
        }

        // Exact zeros are always representable (the range contains 0); leaving their spike in would make the
        // grouped Q smear it and favour ever smaller thresholds.
        magnitude[0] -= s.Zeros;

        int levels = oneSided ? 255 : 127;
        int last = half - 1;
        while (last > 0 && magnitude[last] == 0)
        {
            last--;
        }

        int bestEnd = last + 1;
        double bestKl = double.PositiveInfinity;
        var p = new double[half];
        var q = new double[half];
        for (int end = Math.Min(levels, last + 1); end <= last + 1; end++)
        {
            double outliers = 0;
            for (int k = end; k <= last; k++)
            {
                outliers += magnitude[k];
            }

            for (int k = 0; k < end; k++)
            {
                p[k] = magnitude[k];
            }

            p[end - 1] += outliers;

            // Q: the histogram inside the threshold quantized to `levels` groups of bins, each group's mass spread over
            // the bins where P is non-empty (MXNet/TensorRT): clipped outliers piled on P's last bin cost divergence.
            for (int g = 0; g < levels; g++)
            {
                int from = (int)((long)g * end / levels), to = (int)((long)(g + 1) * end / levels);
                double sum = 0;
                int nonEmpty = 0;
                for (int k = from; k < to; k++)
                {
                    sum += magnitude[k];
                    nonEmpty += p[k] != 0 ? 1 : 0;
                }

                for (int k = from; k < to; k++)
                {
                    q[k] = p[k] != 0 ? sum / nonEmpty : 0;
                }
            }

            double pTotal = 0, qTotal = 0;
            for (int k = 0; k < end; k++)
            {
                pTotal += p[k];
                qTotal += q[k];
            }

            double kl = 0;
            for (int k = 0; k < end; k++)
            {
                if (p[k] == 0)
                {
                    continue;
                }

                double pk = p[k] / pTotal, qk = q[k] / qTotal;
                kl += qk == 0 ? pk * 20 : pk * Math.Log(pk / qk); // a P-mass bin Q cannot represent: heavy penalty
            }

            if (kl < bestKl)
            {
                bestKl = kl;
                bestEnd = end;
            }
        }

        double threshold = bestEnd * s.BinWidth;
        return (Math.Max(min, -threshold), Math.Min(max, threshold));
    }
}
