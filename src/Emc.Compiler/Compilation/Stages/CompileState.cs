using Emc.Compiler.Analysis;
using Emc.Compiler.Calibration;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.K210.Memory;
using Emc.Compiler.Passes;
using Emc.Compiler.Quantization;
using Emc.Diagnostics;
using Emc.Kmodel;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>What the compile stages hand each other, from the imported graph to the report.</summary>
internal sealed class CompileState(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, Action<string>? progress, PassLog log)
{
    public Ir.Graph Graph { get; } = graph;

    public CompileOptions Options { get; } = options;

    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public Action<string>? Progress { get; } = progress;

    public PassLog Log { get; } = log;

    public K210Model? Model { get; set; }

    /// <summary>The pass counts just before the first lowering (a graph rewrite after calibration lowers again).</summary>
    public IReadOnlyDictionary<string, int>? LogBeforeLowering { get; set; }

    /// <summary>Set by lowering when every error lies in the graph's tail: the outputs that would compile.</summary>
    public IReadOnlyList<string>? SuggestedOutputs { get; set; }

    /// <summary>Set by select-outputs: the part of the graph after the selected outputs (null when an old output does not
    /// depend on the input through them only).</summary>
    public CodeGen.Tail.HostTail? Tail { get; set; }

    /// <summary>Set by cpu-tail: the tail the header and wrapper generate as code.</summary>
    public CodeGen.Tail.HostTail? GeneratedTail { get; set; }

    /// <summary>The input map the options give (before any in-graph normalization is folded in).</summary>
    public Preprocessing? Preprocessing { get; set; }

    /// <summary>The dataset's samples, listed; each stage that needs them decodes them one at a time.</summary>
    public CalibrationDataset? Dataset { get; set; }

    /// <summary>Which samples calibration chooses ranges from and which the accuracy figures are measured on (<see cref="HeldOutSplit"/>).</summary>
    public DatasetSplit? Split { get; set; }

    /// <summary>How many samples calibration evaluated (set by the calibrate stage).</summary>
    public int CalibrationSamples { get; set; }

    public Dictionary<Ir.Value, TensorStatistics>? Statistics { get; set; }

    /// <summary>Input patch moments of the KPU convs whose weights are rounded with error feedback.</summary>
    public Dictionary<(Ir.Value, PatchShape), PatchMoments>? PatchMoments { get; set; }

    public MemoryPlan? Plan { get; set; }

    public byte[]? Bytes { get; set; }

    /// <summary>The emitted kmodel as the validating reader read it back.</summary>
    public KmodelFile? Kmodel { get; set; }

    public List<OutputAccuracy> Accuracy { get; set; } = [];

    /// <summary>Per-layer SQNR against the float evaluator over the accuracy samples.</summary>
    public IReadOnlyList<LayerAccuracy> LayerAccuracy { get; set; } = [];

    public CompileResult? Result { get; set; }

    public string? SourcePath => Graph.SourcePath;
}
