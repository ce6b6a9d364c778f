namespace Emc.Compiler.Passes;

/// <summary>
/// One named step of the compiler: a graph rewrite, a fusion, an operator lowering or a back-end stage.
/// <see cref="CompilerPipeline"/> lists every pass in the order it runs; the report counts how often each applied.
/// </summary>
public interface IPass
{
    /// <summary>Kebab-case name shown by <c>emc compile --verbose</c> and in the report, e.g. <c>fold-batch-norm-into-conv</c>.</summary>
    string Name { get; }

    /// <summary>One sentence: what the pass matches and what it replaces it with.</summary>
    string Summary { get; }
}
