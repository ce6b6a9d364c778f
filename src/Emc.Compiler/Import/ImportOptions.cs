using Emc.Compiler.Ir;

namespace Emc.Compiler.Import;

/// <summary>How <see cref="OnnxImporter"/> turns a model into a static graph.</summary>
public sealed record ImportOptions
{
    /// <summary>Graph inputs bound to constant values (by input name); they leave <see cref="Graph.Inputs"/>.
    /// ONNX node tests feed operator parameters (Reshape shape, Pad pads, Resize scales…) this way.</summary>
    public IReadOnlyDictionary<string, Tensor>? ConstantInputs { get; init; }

    /// <summary>Value of a symbolic or unknown first (batch) dimension of a graph input.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Static shapes that replace the declared shapes of graph inputs (by input name).</summary>
    public IReadOnlyDictionary<string, int[]>? InputShapes { get; init; }

    /// <summary>With errors, still return the graph of the nodes that imported (their values have shapes; the others
    /// none), so later stages can report their own problems in the same run.</summary>
    public bool KeepPartialGraph { get; init; }

    /// <summary>The operators to resolve nodes with; <see cref="OperatorRegistry.Default"/> when null.</summary>
    public OperatorRegistry? Registry { get; init; }
}
