using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Quantization;

/// <summary>Runs the float reference evaluator over the samples and records statistics of the requested values
/// (graph inputs included).</summary>
internal static class Calibrator
{
    public static Dictionary<Value, TensorStatistics> Collect(Ir.Graph graph, IReadOnlyCollection<Value> values, IEnumerable<Tensor> samples, Action<int>? progress = null)
    {
        var stats = values.Distinct().ToDictionary(v => v, _ => new TensorStatistics());
        var importance = new ChannelImportance(graph);
        var weights = stats.Keys.ToDictionary(v => v, importance.Of);
        var slopes = stats.Keys.ToDictionary(v => v, ChannelImportance.Slope);
        var options = new EvaluatorOptions
        {
            Observer = (value, tensor) =>
            {
                if (stats.TryGetValue(value, out var s) && tensor is Tensor<float> f)
                {
                    s.Observe(f.Data, Channels(tensor.Shape), weights[value], slopes[value]);
                }
            },
        };
        var evaluator = new ReferenceEvaluator(graph, options);
        int count = 0;
        foreach (var sample in samples)
        {
            foreach (var input in graph.Inputs)
            {
                if (stats.TryGetValue(input, out var s) && sample is Tensor<float> f)
                {
                    s.Observe(f.Data, Channels(sample.Shape), weights[input], slopes[input]);
                }
            }

            evaluator.Run(sample);
            progress?.Invoke(++count);
        }

        return stats;
    }

    private static int Channels(Shape shape) => shape.Rank >= 2 ? shape[1] : 1;
}
