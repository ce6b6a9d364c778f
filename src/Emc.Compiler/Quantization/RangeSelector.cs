using Emc.Compiler.Compilation;

namespace Emc.Compiler.Quantization;

/// <summary>Chooses a tensor's quantization range from its calibration statistics.</summary>
public static class RangeSelector
{
    public static (double Min, double Max) Select(TensorStatistics stats, CalibrationMethod method)
    {
        if (!double.IsFinite(stats.Min) || !double.IsFinite(stats.Max))
        {
            return (0, 1);
        }

        double min = Math.Min(stats.Min, 0), max = Math.Max(stats.Max, 0);
        return method switch
        {
            CalibrationMethod.Percentile => Percentile(stats, min, max, 0.9999),
            CalibrationMethod.Mse => Mse(stats, min, max),
            _ => (min, max),
        };
    }

    private static IEnumerable<float> Values(TensorStatistics s) => s.Batches.SelectMany(b => b);

    private static (double, double) Percentile(TensorStatistics s, double min, double max, double p)
    {
        var all = Values(s).Where(float.IsFinite).ToArray();
        if (all.Length == 0)
        {
            return (min, max);
        }

        Array.Sort(all);
        double lo = all[(int)Math.Floor((1 - p) * (all.Length - 1))];
        double hi = all[(int)Math.Ceiling(p * (all.Length - 1))];
        return (Math.Min(lo, 0), Math.Max(hi, 0));
    }

    /// <summary>Shrinks the range (both ends in proportion) to the scale that minimises the quantization MSE.</summary>
    private static (double, double) Mse(TensorStatistics s, double min, double max)
    {
        var all = Values(s).Where(float.IsFinite).ToArray();
        if (all.Length == 0)
        {
            return (min, max);
        }

        // Subsample deterministically for speed.
        int step = Math.Max(1, all.Length / 65536);
        double best = double.PositiveInfinity;
        (double, double) bestRange = (min, max);
        for (int i = 0; i <= 40; i++)
        {
            double f = 1 - (i * 0.02);
            var q = QuantParam.FromRange(min * f, max * f);
            double err = 0;
            for (int j = 0; j < all.Length; j += step)
            {
                double d = q.Dequantize(q.Quantize(all[j])) - all[j];
                err += d * d;
            }

            if (err < best)
            {
                best = err;
                bestRange = (min * f, max * f);
            }
        }

        return bestRange;
    }
}
