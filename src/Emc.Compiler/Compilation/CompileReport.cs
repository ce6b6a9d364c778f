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
    (float Low, float High)? OutputRange);

/// <summary>Accuracy of the simulated kmodel against the float evaluator on the calibration set, per output.</summary>
public sealed record OutputAccuracy(string Name, double SqnrDb, double MaxAbsError, int Samples);

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
}

/// <summary>One pipeline entry of the report: stage, name, and how often it applied (matches, nodes or changes).</summary>
public sealed record PassCount(string Stage, string Name, int Applied);
