using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Quantization;

/// <summary>Runs the float reference evaluator over the samples and records statistics of the requested values
/// (graph inputs included), and feeds the same values to any <see cref="PatchMoments"/> asked for.</summary>
internal static class Calibrator
{
    public static Dictionary<Value, TensorStatistics> Collect(Ir.Graph graph, IReadOnlyCollection<Value> values, IEnumerable<Tensor> samples, Action<int>? progress = null,
        IReadOnlyDictionary<(Value, PatchShape), PatchMoments>? patches = null)
    {
        var patchesOf = (patches ?? new Dictionary<(Value, PatchShape), PatchMoments>()).GroupBy(p => p.Key.Item1)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToList());
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

                ObservePatches(patchesOf, value, tensor);
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

                ObservePatches(patchesOf, input, sample);
            }

            evaluator.Run(sample);
            progress?.Invoke(++count);
        }

        return stats;
    }

    private static void ObservePatches(Dictionary<Value, List<PatchMoments>> patches, Value value, Tensor tensor)
    {
        if (patches.TryGetValue(value, out var list) && tensor is Tensor<float> f)
        {
            foreach (var p in list)
            {
                p.Observe(f.Data, f.Shape);
            }
        }
    }

    private static int Channels(Shape shape) => shape.Rank >= 2 ? shape[1] : 1;
}
