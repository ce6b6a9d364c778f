using System.Text.Json.Serialization;

namespace Emc.Compiler.Compilation;

/// <summary>Per-layer facts of a compiled model (report JSON, console table, generated headers).</summary>
public sealed record LayerReport(
    int Index,
    string LayerType,
    bool OnKpu,
    IReadOnlyList<int> InputShape,
    IReadOnlyList<int> OutputShape,
    long Macs,
    long WeightBytes,
    string MemoryPlacement,
    string? SourceNodes,
    (float Low, float High)? OutputRange)
{
    /// <summary>ESTIMATED device time of the layer in µs (Emc.Kmodel KmodelCostModel, docs/cost-model.md); not a measurement.</summary>
    public double EstimatedMicroseconds { get; init; }

    /// <summary>What dominates the estimate (e.g. "KPU compute", "DMA upload", "CPU u8→float").</summary>
    public string EstimateBasis { get; init; } = "";

    /// <summary>Where the layer's inputs and outputs lie, as numbers (the same ranges <see cref="MemoryPlacement"/> spells out).</summary>
    public IReadOnlyList<TensorPlacement> Placements { get; init; } = [];

    /// <summary>Main-memory bytes in use while the layer runs (live tensors from the layers' footprints).</summary>
    public long MainMemoryInUse { get; init; }

    /// <summary>KPU RAM bytes in use while the layer runs.</summary>
    public long KpuMemoryInUse { get; init; }

    /// <summary>SQNR of the layer's simulated output against the float value it stands for, over the accuracy samples
    /// (the report's outputs say which); null where the output maps to no ONNX value (uploads, layout steps).</summary>
    public double? SqnrDb { get; init; }

    /// <summary>The layer's part in a tiling (channel group, input copy, edge of an odd stem); null otherwise.</summary>
    public string? Tiling { get; init; }
}

/// <summary>One tensor a layer reads or writes: its role ("input"/"output"), memory ("main"/"kpu") and
/// [Start, End) in bytes (main) or 64-byte units (kpu).</summary>
public sealed record TensorPlacement(string Role, string Memory, long Start, long End);

/// <summary>Accuracy of the simulated kmodel against the float evaluator, per output, on the samples <see cref="Data"/> names.</summary>
public sealed record OutputAccuracy(string Name, double SqnrDb, double MaxAbsError, int Samples)
{
    /// <summary>What the <see cref="Samples"/> inputs were: synthetic, the calibration samples, or held-out samples.</summary>
    public AccuracyData Data { get; init; } = AccuracyData.CalibrationSamples;

    /// <summary>SQNR of the float model with only the kmodel's activation rounding (<c>Analysis/ActivationGridModel</c>),
    /// same samples: about the best any weight rounding could reach with these activation grids. Null: not measured.</summary>
    public double? ActivationRoundingSqnrDb { get; init; }

    /// <summary>The phrase every accuracy figure carries: what data it comes from.</summary>
    public string DataNote => AccuracyDataText.Describe(Data, Samples);
}

/// <summary>What <c>emc compile --report</c> writes and what the build shows.</summary>
public sealed record CompileReport(
    IReadOnlyList<LayerReport> Layers,
    long KpuMacs,
    long CpuMacs,
    int ModelBytes,
    int MainMemoryUsage,
    int KpuPeakUnits,
    IReadOnlyList<OutputAccuracy> Accuracy)
{
    /// <summary>Every pass of the pipeline in order, with how often it applied to this model.</summary>
    public IReadOnlyList<PassCount> Passes { get; init; } = [];

    /// <summary>How many samples calibration chose the ranges from (the accuracy figures' own samples are
    /// <see cref="OutputAccuracy.Samples"/>; <see cref="OutputAccuracy.Data"/> says whether they are among these).</summary>
    public int CalibrationSamples { get; init; }

    /// <summary>How many sample files the dataset listed (0 without a dataset: random samples).</summary>
    public int DatasetFiles { get; init; }

    /// <summary>"N calibration samples, accuracy measured on …": how many samples chose the ranges and what the accuracy
    /// figures were measured on (only the latter when the count is not known).</summary>
    public string SamplesNote(OutputAccuracy accuracy) => CalibrationSamples > 0
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{CalibrationSamples} calibration samples, accuracy {accuracy.DataNote}")
        : accuracy.DataNote;

    /// <summary>ESTIMATED device time of one inference in µs: the sum of the layers' estimates (docs/cost-model.md).</summary>
    public double EstimatedMicroseconds { get; init; }

    /// <summary>The options the model was compiled with (the HTML report shows them). Not serialized: the build's
    /// report.json stays free of absolute paths.</summary>
    [JsonIgnore]
    public CompileOptions? Options { get; init; }

    /// <summary>The ONNX file compiled, when known (the HTML report's title). Not serialized, like <see cref="Options"/>.</summary>
    [JsonIgnore]
    public string? SourcePath { get; init; }
}

/// <summary>One pipeline entry of the report: stage, name, and how often it applied (matches, nodes or changes).</summary>
public sealed record PassCount(string Stage, string Name, int Applied);
