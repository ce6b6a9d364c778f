using Emc.Compiler.Compilation;

namespace Emc.Compiler.Calibration;

/// <summary>The dataset's sample indices that calibrate and those the accuracy figures are measured on, and what those are.</summary>
internal sealed record DatasetSplit(IReadOnlyList<int> Calibration, IReadOnlyList<int> Accuracy, AccuracyData Data);
