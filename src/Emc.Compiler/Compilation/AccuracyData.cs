namespace Emc.Compiler.Compilation;

/// <summary>What inputs the report's accuracy figures were measured on.</summary>
public enum AccuracyData
{
    /// <summary>No dataset was given: the seeded random inputs calibration also used. Says little about real inputs.</summary>
    SyntheticInputs,

    /// <summary>The dataset was too small to hold samples out (fewer than <see cref="Calibration.HeldOutSplit.MinimumSamples"/>):
    /// the samples calibration chose the ranges from, so the figures are optimistic.</summary>
    CalibrationSamples,

    /// <summary>Dataset samples held out of calibration (<see cref="Calibration.HeldOutSplit"/>).</summary>
    HeldOutSamples,
}

/// <summary>How the report names <see cref="AccuracyData"/>: a short key (JSON) and a phrase (console, HTML).</summary>
public static class AccuracyDataText
{
    public static string Key(AccuracyData data) => data switch
    {
        AccuracyData.SyntheticInputs => "synthetic",
        AccuracyData.CalibrationSamples => "calibration",
        _ => "held-out",
    };

    public static string Describe(AccuracyData data, int samples) => data switch
    {
        AccuracyData.SyntheticInputs => $"measured on {samples} synthetic random inputs (no dataset given)",
        AccuracyData.CalibrationSamples => $"measured on the calibration samples ({samples}; the dataset is too small to hold any out)",
        _ => $"measured on {samples} held-out dataset samples not used to calibrate",
    };
}
