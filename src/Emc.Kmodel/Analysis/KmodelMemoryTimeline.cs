namespace Emc.Kmodel;

/// <summary>
/// Bytes of main memory and KPU RAM in use while each layer runs, from the layers' declared footprints
/// (<see cref="LayerMemory"/>): a written range lives from its writer to its last reader (or to the end for a model
/// output), a range read before anything wrote it (the model input) lives from the start. Overlapping live ranges
/// count once.
/// </summary>
public static class KmodelMemoryTimeline
{
    public static IReadOnlyList<LayerMemoryUse> Compute(KmodelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = model.Layers.Count;
        var ranges = model.Layers.Select(l => LayerMemory.Ranges(l.Body)).ToList();
        var live = new List<(MemorySpace Space, long Start, long End, int From, int To)>();
        static bool Overlaps(MemoryRange a, MemorySpace space, long start, long end) => a.Space == space && a.Start < end && start < a.End;

        for (int i = 0; i < n; i++)
        {
            foreach (var w in ranges[i].Where(r => r.IsOutput && r.Length > 0))
            {
                int last = i;
                bool overwritten = false;
                for (int j = i + 1; j < n && !overwritten; j++)
                {
                    if (ranges[j].Any(r => !r.IsOutput && Overlaps(r, w.Space, w.Start, w.End)))
                    {
                        last = j;
                    }

                    overwritten = ranges[j].Any(r => r.IsOutput && Overlaps(r, w.Space, w.Start, w.End));
                }

                bool isOutput = w.Space == MemorySpace.Main && model.Outputs.Any(o => o.Address < w.End && w.Start < (long)o.Address + o.Size);
                live.Add((w.Space, w.Start, w.End, i, !overwritten && isOutput ? n - 1 : last));
            }

            // Reads of bytes no earlier layer wrote: the model input (or constants), live from the start.
            foreach (var r in ranges[i].Where(r => !r.IsOutput && r.Length > 0))
            {
                bool written = Enumerable.Range(0, i).Any(k => ranges[k].Any(w => w.IsOutput && Overlaps(w, r.Space, r.Start, r.End)));
                if (!written)
                {
                    live.Add((r.Space, r.Start, r.End, 0, i));
                }
            }
        }

        var result = new List<LayerMemoryUse>(n);
        for (int k = 0; k < n; k++)
        {
            long main = Union(live.Where(x => x.Space == MemorySpace.Main && x.From <= k && k <= x.To).Select(x => (x.Start, x.End)));
            long kpu = Union(live.Where(x => x.Space == MemorySpace.Kpu && x.From <= k && k <= x.To).Select(x => (x.Start, x.End)));
            result.Add(new LayerMemoryUse(main, kpu * KpuTensorLayout.UnitBytes));
        }

        return result;
    }

    private static long Union(IEnumerable<(long Start, long End)> intervals)
    {
        long total = 0, curStart = long.MinValue, curEnd = long.MinValue;
        foreach (var (s, e) in intervals.OrderBy(x => x.Start))
        {
            if (s > curEnd)
            {
                total += curEnd - curStart;
                (curStart, curEnd) = (s, e);
            }
            else if (e > curEnd)
            {
                curEnd = e;
            }
        }

        return total + (curEnd - curStart);
    }
}

/// <summary>Bytes in use while one layer runs: main memory and KPU RAM.</summary>
public sealed record LayerMemoryUse(long MainBytes, long KpuBytes);
