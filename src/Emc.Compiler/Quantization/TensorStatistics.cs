namespace Emc.Compiler.Quantization;

/// <summary>
/// Statistics of one tensor over the calibration samples, in constant memory (no per-value storage): exact
/// min/max, per-channel means and extremes (axis 1) and a zero-centred histogram of <see cref="Bins"/> bins whose width is a
/// power of two, doubled (merging bin pairs exactly) whenever a value falls outside. Deterministic for a
/// given sample order.
/// </summary>
internal sealed class TensorStatistics
{
    /// <summary>Bins per sign; the histogram covers [−HalfBins·w, HalfBins·w).</summary>
    public const int HalfBins = 2048;

    public const int Bins = 2 * HalfBins;

    private readonly long[] _counts = new long[Bins];
    private readonly double[] _weighted = new double[Bins];
    private double _pendingWeight;
    private double[] _channelSums = [];
    private double[] _channelMins = [];
    private double[] _channelMaxs = [];
    private long _channelCount;
    private long _pendingZeros;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Width of one bin (a power of two; 0 while every value seen was 0).</summary>
    public double BinWidth { get; private set; }

    /// <summary>Count of bin <c>k</c> ∈ [−HalfBins, HalfBins), which holds values in [k·w, (k+1)·w).</summary>
    public ReadOnlySpan<long> Counts => _counts;

    public long Total { get; private set; }

    /// <summary>Like <see cref="Counts"/>, each value counted with its channel's weight (<see cref="ChannelImportance"/>).</summary>
    public ReadOnlySpan<double> WeightedCounts => _weighted;

    /// <summary>Values exactly 0 (counted in bin 0 too); ReLU outputs have a large spike there.</summary>
    public long Zeros { get; private set; }

    /// <summary>Smallest value of each channel (axis 1) over all samples and positions.</summary>
    public IReadOnlyList<double> ChannelMins => _channelMins;

    /// <summary>Largest value of each channel (axis 1) over all samples and positions.</summary>
    public IReadOnlyList<double> ChannelMaxs => _channelMaxs;

    /// <summary>Mean of each channel (axis 1 of the observed tensors) over all samples and positions.</summary>
    public double[] ChannelMeans => _channelSums.Select(s => _channelCount == 0 ? 0 : s / _channelCount).ToArray();

    /// <summary>Adds one observation of a tensor with <paramref name="channels"/> planes of equal size; each value
    /// also adds its channel's weight (1 without <paramref name="channelWeights"/>) times <paramref name="valueWeight"/> of
    /// the value (1 without) to <see cref="WeightedCounts"/>.</summary>
    public void Observe(ReadOnlySpan<float> values, int channels = 1, IReadOnlyList<double>? channelWeights = null, Func<double, double>? valueWeight = null)
    {
        double maxAbs = 0;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                if (v < Min)
                {
                    Min = v;
                }

                if (v > Max)
                {
                    Max = v;
                }

                maxAbs = Math.Max(maxAbs, Math.Abs(v));
            }
        }

        AccumulateChannels(values, channels);
        if (BinWidth == 0 && maxAbs > 0)
        {
            BinWidth = Math.Pow(2, Math.Ceiling(Math.Log2(maxAbs / HalfBins)));
            _counts[HalfBins] += _pendingZeros;
            _weighted[HalfBins] += _pendingWeight;
            _pendingZeros = 0;
            _pendingWeight = 0;
        }

        while (BinWidth > 0 && maxAbs >= HalfBins * BinWidth)
        {
            Widen();
        }

        double inverse = BinWidth > 0 ? 1 / BinWidth : 0;
        bool weighted = channelWeights is not null && channels > 0 && channelWeights.Count == channels && values.Length % channels == 0;
        int plane = weighted ? values.Length / channels : int.MaxValue;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!float.IsFinite(v))
            {
                continue;
            }

            double weight = (weighted ? channelWeights![i / plane] : 1) * (valueWeight?.Invoke(v) ?? 1);

            Total++;
            if (v == 0)
            {
                Zeros++;
            }

            if (BinWidth == 0)
            {
                _pendingZeros++;
                _pendingWeight += weight;
                continue;
            }

            int k = Math.Clamp((int)Math.Floor(v * inverse), -HalfBins, HalfBins - 1) + HalfBins;
            _counts[k]++;
            _weighted[k] += weight;
        }
    }

    /// <summary>Lower edge of bin index <paramref name="index"/> (0 ≤ index &lt; Bins).</summary>
    public double Edge(int index) => (index - HalfBins) * BinWidth;

    private void AccumulateChannels(ReadOnlySpan<float> values, int channels)
    {
        if (channels <= 0 || values.Length % channels != 0)
        {
            channels = 1;
        }

        if (_channelSums.Length != channels)
        {
            if (_channelSums.Length != 0)
            {
                return; // shape changed between samples: keep the first shape's means
            }

            _channelSums = new double[channels];
            _channelMins = [.. Enumerable.Repeat(double.PositiveInfinity, channels)];
            _channelMaxs = [.. Enumerable.Repeat(double.NegativeInfinity, channels)];
        }

        int plane = values.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, min = _channelMins[c], max = _channelMaxs[c];
            foreach (float v in values.Slice(c * plane, plane))
            {
                if (float.IsFinite(v))
                {
                    sum += v;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            _channelSums[c] += sum;
            _channelMins[c] = min;
            _channelMaxs[c] = max;
        }

        _channelCount += plane;
    }

    private void Widen()
    {
        var merged = new long[Bins];
        var mergedWeights = new double[Bins];
        for (int k = -HalfBins; k < HalfBins; k++)
        {
            merged[(int)Math.Floor(k / 2.0) + HalfBins] += _counts[k + HalfBins];
            mergedWeights[(int)Math.Floor(k / 2.0) + HalfBins] += _weighted[k + HalfBins];
        }

        merged.CopyTo(_counts, 0);
        mergedWeights.CopyTo(_weighted, 0);
        BinWidth *= 2;
    }
}
