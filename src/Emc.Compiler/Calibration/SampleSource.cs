namespace Emc.Compiler.Calibration;

/// <summary>Where one calibration sample comes from: a file, or (without a dataset) the seeded random input number <see cref="RandomIndex"/>.</summary>
internal sealed record SampleSource(string? File, int RandomIndex = 0);
