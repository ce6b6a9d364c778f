namespace Emc.Compiler.K210.Memory;

/// <summary>A buffer to place: its size and the inclusive range of layer indices during which it is live.</summary>
internal readonly record struct BufferRequest(long Size, int FirstLayer, int LastLayer);

/// <summary>
/// Offline placement of buffers whose lifetimes are known: greedy by size (largest first, ties by request
/// order), each at the lowest offset where it overlaps no already placed buffer that is live at the same
/// time. Deterministic. Buffers live at the same layer never overlap, so a layer's inputs and outputs are
/// always disjoint.
/// </summary>
internal static class IntervalAllocator
{
    /// <summary>Returns the offset of each request and the total extent.</summary>
    public static (long[] Offsets, long Extent) Place(IReadOnlyList<BufferRequest> requests)
    {
        var order = Enumerable.Range(0, requests.Count)
            .OrderByDescending(i => requests[i].Size)
            .ThenBy(i => i)
            .ToArray();
        var offsets = new long[requests.Count];
        var placed = new List<int>();
        long extent = 0;
        foreach (int i in order)
        {
            var r = requests[i];
            var busy = placed
                .Where(j => requests[j].FirstLayer <= r.LastLayer && r.FirstLayer <= requests[j].LastLayer)
                .Select(j => (Start: offsets[j], End: offsets[j] + requests[j].Size))
                .OrderBy(b => b.Start)
                .ToList();
            long candidate = 0;
            foreach (var (start, end) in busy)
            {
                if (candidate + r.Size <= start)
                {
                    break;
                }

                candidate = Math.Max(candidate, end);
            }

            offsets[i] = candidate;
            extent = Math.Max(extent, candidate + r.Size);
            placed.Add(i);
        }

        return (offsets, extent);
    }
}
