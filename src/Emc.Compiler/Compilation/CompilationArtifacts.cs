using Emc.Compiler.Calibration;
using Emc.Compiler.K210.Graph;
using Emc.Kmodel;

namespace Emc.Compiler.Compilation;

/// <summary>A compilation's result plus the intermediate products analyses need (set when compilation got that far).</summary>
internal sealed class CompilationArtifacts(Ir.Graph graph)
{
    /// <summary>The graph compiled (with <c>--tail auto</c>, the copy the device part was compiled from).</summary>
    public Ir.Graph Graph { get; internal set; } = graph;

    public CompileResult Result { get; internal set; } = new(null, null, null, []);

    /// <summary>The lowered, quantized and memory-planned model.</summary>
    public K210Model? Model { get; internal set; }

    /// <summary>The emitted kmodel as read back.</summary>
    public KmodelFile? Kmodel { get; internal set; }

    /// <summary>The calibration samples (sorted by source), decoded all at once the first time they are asked for
    /// (so while the dataset's files still exist).</summary>
    public IReadOnlyList<CalibrationSample> Samples => _samples ??= Calibration?.Read(new Emc.Diagnostics.DiagnosticBag()).ToList() ?? [];

    /// <summary>The calibration samples, undecoded.</summary>
    internal CalibrationDataset? Calibration { get; set; }

    private List<CalibrationSample>? _samples;
}
