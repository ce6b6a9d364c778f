using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Memory;

/// <summary>
/// Finds CPU layers whose main-memory output may start at the same address as an input that dies at that layer. Legal
/// only where the SDK's loop (kpu.c, spec §4.1) reads every element an output depends on before writing it and never
/// writes ahead of what it has still to read: ascending element-wise loops (QUANTIZE, REQUANTIZE, QUANTIZED_ADD
/// (blocks of 8 read before written), ADD, SOFTMAX (reads src[i] before writing dest[i]), GLOBAL_AVERAGE_POOL2D (a channel
/// is summed before its one output is written)) and QUANTIZED_MAX_POOL2D when every output's lowest input index is at or
/// after its own index. Not DEQUANTIZE (a float write covers the next three input bytes), FULLY_CONNECTED, flatten or
/// resize (later outputs read earlier inputs).
/// </summary>
internal static class InPlaceReuse
{
    /// <summary>Output root → the input root whose buffer it reuses from offset 0.</summary>
    public static Dictionary<K210Tensor, K210Tensor> Find(K210Model model)
    {
        var lastUse = new Dictionary<K210Tensor, int>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            foreach (var t in model.Layers[i].Inputs)
            {
                lastUse[MemoryPlanner.Root(t)] = i;
            }
        }

        foreach (var (_, t) in model.Outputs)
        {
            lastUse[MemoryPlanner.Root(t)] = int.MaxValue;
        }

        var result = ChannelGroupInPlace.Find(model).ToDictionary(p => p.Output, p => p.Input);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var output = layer.Output;
            if (output.AliasOf is not null || output.Memory != K210MemoryKind.Main || !Legal(layer))
            {
                continue;
            }

            foreach (var input in layer.Inputs)
            {
                var root = MemoryPlanner.Root(input);
                if (root.Memory == K210MemoryKind.Main && !root.IsDeviceInput && StartsAtRoot(input) && lastUse[root] == i && root != output)
                {
                    result[output] = root;
                    break;
                }
            }
        }

        return result;
    }

    private static bool Legal(K210Layer layer) => layer switch
    {
        QuantizeLayer or RequantizeLayer or QuantizedAddLayer or AddLayer or SoftmaxLayer or GlobalAveragePoolLayer => true,
        QuantizedMaxPoolLayer p => ReadsNeverBehindWrites(p),
        _ => false,
    };

    /// <summary>The SDK's loop: channel, row, column; output k reads its window, then writes byte k.</summary>
    private static bool ReadsNeverBehindWrites(QuantizedMaxPoolLayer p)
    {
        var o = p.Output;
        long k = 0;
        for (long c = 0; c < o.Channels; c++)
        {
            for (long oy = 0; oy < o.Height; oy++)
            {
                long y = Math.Max(0, (oy * p.Stride) - p.PadH);
                for (long ox = 0; ox < o.Width; ox++, k++)
                {
                    long x = Math.Max(0, (ox * p.StrideW) - p.PadW);
                    long firstRead = p.InputOffset + (c * p.InputHeight * p.InputWidth) + (y * p.InputWidth) + x;
                    if (firstRead < k)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static bool StartsAtRoot(K210Tensor t)
    {
        for (; t.AliasOf is not null; t = t.AliasOf)
        {
            if (t.AliasOffset != 0)
            {
                return false;
            }
        }

        return true;
    }
}
