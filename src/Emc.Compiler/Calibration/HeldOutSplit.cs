using Emc.Compiler.Compilation;

namespace Emc.Compiler.Calibration;

/// <summary>
/// Splits the dataset into calibration samples and accuracy samples. With at least <see cref="MinimumSamples"/> dataset
/// samples, every k-th sample (k = max(4, ⌈n / 16⌉), the k-th, 2k-th, …, at most <see cref="KmodelCompiler.AccuracySamples"/>)
/// is held out of calibration and the accuracy figures are measured on those; otherwise calibration uses every sample
/// and the figures are measured on the first calibration samples (and say so).
/// </summary>
internal static class HeldOutSplit
{
    /// <summary>The smallest dataset that gives up samples for a held-out accuracy measurement.</summary>
    public const int MinimumSamples = 32;

    /// <summary>Calibration keeps at least three of every four samples.</summary>
    private const int MinimumStride = 4;

    /// <summary>The split of <paramref name="samples"/> (see <see cref="Split(int, bool)"/>).</summary>
    public static (List<T> Calibration, List<T> Accuracy, AccuracyData Data) Split<T>(IReadOnlyList<T> samples, bool fromDataset)
    {
        var split = Split(samples.Count, fromDataset);
        return ([.. split.Calibration.Select(i => samples[i])], [.. split.Accuracy.Select(i => samples[i])], split.Data);
    }

    /// <summary>Which of <paramref name="count"/> samples (by index, in order) calibrate and which measure accuracy.</summary>
    public static DatasetSplit Split(int count, bool fromDataset)
    {
        var all = Enumerable.Range(0, count).ToList();
        var first = all.Take(KmodelCompiler.AccuracySamples).ToList();
        if (!fromDataset)
        {
            return new(all, first, AccuracyData.SyntheticInputs);
        }

        if (count < MinimumSamples)
        {
            return new(all, first, AccuracyData.CalibrationSamples);
        }

        int stride = Math.Max(MinimumStride, (count + KmodelCompiler.AccuracySamples - 1) / KmodelCompiler.AccuracySamples);
        var calibration = new List<int>();
        var accuracy = new List<int>();
        for (int i = 0; i < count; i++)
        {
            bool holdOut = (i + 1) % stride == 0 && accuracy.Count < KmodelCompiler.AccuracySamples;
            (holdOut ? accuracy : calibration).Add(i);
        }

        return new(calibration, accuracy, AccuracyData.HeldOutSamples);
    }
}

