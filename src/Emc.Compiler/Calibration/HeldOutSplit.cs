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

    public static (List<CalibrationSample> Calibration, List<CalibrationSample> Accuracy, AccuracyData Data) Split(
        List<CalibrationSample> samples, bool fromDataset)
    {
        if (!fromDataset)
        {
            return (samples, samples.Take(KmodelCompiler.AccuracySamples).ToList(), AccuracyData.SyntheticInputs);
        }

        if (samples.Count < MinimumSamples)
        {
            return (samples, samples.Take(KmodelCompiler.AccuracySamples).ToList(), AccuracyData.CalibrationSamples);
        }

        int stride = Math.Max(MinimumStride, (samples.Count + KmodelCompiler.AccuracySamples - 1) / KmodelCompiler.AccuracySamples);
        var calibration = new List<CalibrationSample>();
        var accuracy = new List<CalibrationSample>();
        for (int i = 0; i < samples.Count; i++)
        {
            bool holdOut = (i + 1) % stride == 0 && accuracy.Count < KmodelCompiler.AccuracySamples;
            (holdOut ? accuracy : calibration).Add(samples[i]);
        }

        return (calibration, accuracy, AccuracyData.HeldOutSamples);
    }
}
