using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Memory;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.Memory;

/// <summary>
/// Independent checks that a placement never lets two buffers that are live at the same layer share an address.
/// <see cref="AssertModel"/> recomputes lifetimes and sizes from the lowered model itself (not from the planner's
/// <see cref="MemoryRequests"/>) and reads the addresses the planner wrote into the tensors. The only overlap it
/// accepts is a CPU layer writing its output from the start of an input that dies at that layer, for the layer kinds
/// whose kpu.c loop reads each element before writing at or behind it (spec §4.1), re-derived here.
/// </summary>
internal static class PlacementCheck
{
    public static void AssertRequests(string what, IReadOnlyList<BufferRequest> requests, IReadOnlyList<long> offsets, long limit)
    {
        var buffers = requests.Select((r, i) => new Buffer($"#{i}", offsets[i], r.Size, r.FirstLayer, r.LastLayer)).ToList();
        AssertDisjoint(what, buffers, limit);
    }

    /// <summary>Checks the planned model; returns main memory extent and KPU peak (32768 − lowest unit).</summary>
    public static (long MainExtent, long KpuPeak) AssertModel(string what, K210Model model)
    {
        var uses = new Dictionary<K210Tensor, (int First, int Last)>();
        var aliases = new HashSet<K210Tensor>();

        void Use(K210Tensor t, int layer)
        {
            var root = t;
            while (root.AliasOf is not null)
            {
                aliases.Add(root);
                root = root.AliasOf;
            }

            uses[root] = uses.TryGetValue(root, out var u) ? (Math.Min(u.First, layer), Math.Max(u.Last, layer)) : (layer, layer);
        }

        if (model.Input is not null)
        {
            Use(model.Input, 0);
        }

        for (int i = 0; i < model.Layers.Count; i++)
        {
            foreach (var t in model.Layers[i].Inputs.Append(model.Layers[i].Output).Concat(model.Layers[i].ExtraOutputs))
            {
                Use(t, i);
            }
        }

        foreach (var (_, t) in model.Outputs)
        {
            Use(t, model.Layers.Count);
        }

        var main = uses.Where(u => u.Key.Memory == K210MemoryKind.Main)
            .Select(u => new Buffer(u.Key.Name, u.Key.Address, RoundTo8(u.Key.Bytes), u.Value.First, u.Value.Last)).ToList();
        var kpu = uses.Where(u => u.Key.Memory == K210MemoryKind.Kpu)
            .Select(u => new Buffer(u.Key.Name, u.Key.Address, Units(u.Key), u.Value.First, u.Value.Last)).ToList();
        long mainExtent = main.Count == 0 ? 0 : main.Max(b => b.Start + b.Size);
        var inPlace = InPlacePairs(model, uses);
        AssertDisjoint(what + " main", main, mainExtent, inPlace);
        AssertDisjoint(what + " KPU", kpu, KpuTensorLayout.TotalUnits);

        foreach (var alias in aliases)
        {
            var root = alias;
            while (root.AliasOf is not null)
            {
                root = root.AliasOf;
            }

            long size = alias.Memory == K210MemoryKind.Main ? alias.Bytes : Units(alias);
            long rootSize = root.Memory == K210MemoryKind.Main ? RoundTo8(root.Bytes) : Units(root);
            Assert.IsTrue(
                alias.Address >= root.Address && alias.Address + size <= root.Address + rootSize,
                $"{what}: alias {alias.Name} [{alias.Address}, +{size}) lies outside {root.Name} [{root.Address}, +{rootSize})");
        }

        long kpuPeak = kpu.Count == 0 ? 0 : KpuTensorLayout.TotalUnits - kpu.Min(b => b.Start);
        return (mainExtent, kpuPeak);
    }

    private static long RoundTo8(long bytes) => (bytes + 7) / 8 * 8;

    private static long Units(K210Tensor t) => KpuTensorLayout.SizeInUnits(t.Width, t.Height, t.Channels) + t.KpuTailUnits;

    /// <summary>(input root name, output name) of layers that may legally overwrite their dying input in place.</summary>
    private static HashSet<(string, string)> InPlacePairs(K210Model model, Dictionary<K210Tensor, (int First, int Last)> uses)
    {
        var pairs = new HashSet<(string, string)>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            bool legal = layer switch
            {
                QuantizeLayer or RequantizeLayer or QuantizedAddLayer or AddLayer or SoftmaxLayer or GlobalAveragePoolLayer => true,
                QuantizedMaxPoolLayer p => MaxPoolReadsAhead(p),
                _ => false,
            };
            if (!legal || layer.Output.AliasOf is not null)
            {
                continue;
            }

            foreach (var input in layer.Inputs.Where(t => t.AliasOf is null || t.AliasOffset == 0))
            {
                var root = input;
                while (root.AliasOf is not null)
                {
                    root = root.AliasOf;
                }

                if (uses[root].Last == i && uses[layer.Output].First == i)
                {
                    pairs.Add((root.Name, layer.Output.Name));
                }
            }
        }

        return pairs;
    }

    private static bool MaxPoolReadsAhead(QuantizedMaxPoolLayer p)
    {
        var o = p.Output;
        for (int c = 0; c < o.Channels; c++)
        {
            for (int oy = 0; oy < o.Height; oy++)
            {
                for (int ox = 0; ox < o.Width; ox++)
                {
                    long written = ((long)c * o.Height * o.Width) + ((long)oy * o.Width) + ox;
                    long read = p.InputOffset + ((long)c * p.InputHeight * p.InputWidth) + ((long)Math.Max(0, (oy * p.Stride) - p.PadH) * p.InputWidth) + Math.Max(0, (ox * p.StrideW) - p.PadW);
                    if (read < written)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static void AssertDisjoint(string what, List<Buffer> buffers, long limit, HashSet<(string, string)>? inPlace = null)
    {
        foreach (var b in buffers)
        {
            Assert.IsTrue(b.Start >= 0 && b.Start + b.Size <= limit, $"{what}: {b.Name} [{b.Start}, +{b.Size}) outside [0, {limit})");
        }

        for (int i = 0; i < buffers.Count; i++)
        {
            for (int j = i + 1; j < buffers.Count; j++)
            {
                var (a, b) = (buffers[i], buffers[j]);
                bool live = a.First <= b.Last && b.First <= a.Last;
                bool legalInPlace = inPlace is not null && a.Start == b.Start
                    && ((a.Last == b.First && inPlace.Contains((a.Name, b.Name))) || (b.Last == a.First && inPlace.Contains((b.Name, a.Name))));
                live &= !legalInPlace;
                bool overlap = a.Size > 0 && b.Size > 0 && a.Start < b.Start + b.Size && b.Start < a.Start + a.Size;
                Assert.IsFalse(
                    live && overlap,
                    $"{what}: {a.Name} [{a.Start}, +{a.Size}) layers {a.First}..{a.Last} overlaps {b.Name} [{b.Start}, +{b.Size}) layers {b.First}..{b.Last}");
            }
        }
    }

    private sealed record Buffer(string Name, long Start, long Size, int First, int Last);
}
