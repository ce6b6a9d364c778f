namespace Emc.Compiler.Evaluation;

/// <summary>Options of <see cref="ReferenceEvaluator"/>.</summary>
public sealed record EvaluatorOptions
{
    /// <summary>Called after each node with each of its outputs (e.g. to collect calibration ranges). The tensor is the
    /// evaluator's buffer: do not keep it. Changing it in place changes what later nodes read (Analysis/ActivationGridModel).</summary>
    public Action<Ir.Value, Ir.Tensor>? Observer { get; init; }

    /// <summary>Threads Conv/GEMM may split output channels over (1 = single-threaded). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}
