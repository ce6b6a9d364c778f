using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Quantization;

/// <summary>Per-tensor statistics collected over the calibration samples.</summary>
public sealed class TensorStatistics
{
    public const int Bins = 2048;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>All observed values, kept for percentile / MSE / KL searches (bounded by the sample cap).</summary>
    internal List<float[]> Batches { get; } = [];

    internal void Observe(ReadOnlySpan<float> values, bool keep)
    {
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                Min = Math.Min(Min, v);
                Max = Math.Max(Max, v);
            }
        }

        if (keep)
        {
            Batches.Add(values.ToArray());
        }
    }
}

/// <summary>Runs the float reference evaluator over the samples and records statistics of the requested values.</summary>
public static class Calibrator
{
    public static Dictionary<Value, TensorStatistics> Collect(Ir.Graph graph, IReadOnlyCollection<Value> values, IEnumerable<Tensor> samples, bool keepValues, Action<int>? progress = null)
    {
        var stats = values.Distinct().ToDictionary(v => v, _ => new TensorStatistics());
        var options = new EvaluatorOptions
        {
            Observer = (value, tensor) =>
            {
                if (stats.TryGetValue(value, out var s) && tensor is Tensor<float> f)
                {
                    s.Observe(f.Data, keepValues);
                }
            },
        };
        var evaluator = new ReferenceEvaluator(graph, options);
        int count = 0;
        foreach (var sample in samples)
        {
            evaluator.Run(sample);
            progress?.Invoke(++count);
        }

        return stats;
    }
}
