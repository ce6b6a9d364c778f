using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.Quantization;

/// <summary>Who writes and who reads each tensor of a lowered model (outputs and extra outputs; inputs), in layer order —
/// what the per-channel quantization passes walk.</summary>
internal static class LayerLinks
{
    public static (Dictionary<K210Tensor, List<K210Layer>> Producers, Dictionary<K210Tensor, List<K210Layer>> Readers) Of(K210Model model)
    {
        var producers = new Dictionary<K210Tensor, List<K210Layer>>();
        var readers = new Dictionary<K210Tensor, List<K210Layer>>();
        foreach (var layer in model.Layers)
        {
            foreach (var output in layer.ExtraOutputs.Prepend(layer.Output))
            {
                Add(producers, output, layer);
            }

            foreach (var input in layer.Inputs)
            {
                Add(readers, input, layer);
            }
        }

        return (producers, readers);
    }

    /// <summary>Appends <paramref name="value"/> to <paramref name="key"/>'s list.</summary>
    public static void Add<T>(Dictionary<K210Tensor, List<T>> map, K210Tensor key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
