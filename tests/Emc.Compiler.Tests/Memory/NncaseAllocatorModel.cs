using Emc.Compiler.K210.Memory;

namespace Emc.Compiler.Tests.Memory;

/// <summary>
/// A model of nncase v0.1.0-rc5's two allocators (spec §3.1, §3.2), replayed over a buffer list with lifetimes, as a
/// yardstick for our planner. nncase walks the layers in order; at each layer it allocates the buffers the layer
/// produces (in request order) and, after the layer, releases the buffers whose last consumer it was.
/// Main memory: last free block large enough, carved from its top; when none fits, the arena grows at its end (a free
/// block at the end is enlarged, else a new block appended); usage = final arena size.
/// KPU RAM: one free list over [0, 32768) units; last free block large enough; a block of exactly the size is taken
/// whole, otherwise the request is carved alternately from the block's top and bottom (the alternation advances
/// only on carving); usage = 32768 − the lowest unit ever handed out. Running out of KPU RAM is a failure (null).
/// </summary>
internal static class NncaseAllocatorModel
{
    public const long KpuUnits = 32768;

    /// <summary>Offsets of every request and the final arena size (<c>main_mem_usage</c>).</summary>
    public static (long[] Offsets, long Usage) PlaceMain(IReadOnlyList<BufferRequest> requests)
    {
        var list = new FreeList(growable: true, capacity: 0);
        var offsets = Replay(requests, size => list.AllocateLastFitFromTop(size), list);
        return (offsets!, list.End);
    }

    /// <summary>Unit of every request and the peak use (units from the lowest allocation to the top); null when it
    /// runs out of the 32768 units.</summary>
    public static (long[] Offsets, long PeakUnits)? PlaceKpu(IReadOnlyList<BufferRequest> requests)
    {
        var list = new FreeList(growable: false, capacity: KpuUnits);
        bool fromTop = true;
        long lowest = KpuUnits;
        var offsets = Replay(
            requests,
            size =>
            {
                long? start = list.AllocateLastFitPingPong(size, ref fromTop);
                if (start is long s)
                {
                    lowest = Math.Min(lowest, s);
                }

                return start;
            },
            list);
        return offsets is null ? null : (offsets, KpuUnits - lowest);
    }

    private static long[]? Replay(IReadOnlyList<BufferRequest> requests, Func<long, long?> allocate, FreeList list)
    {
        var offsets = new long[requests.Count];
        int steps = requests.Count == 0 ? 0 : requests.Max(r => r.LastLayer) + 1;
        for (int step = 0; step < steps; step++)
        {
            for (int i = 0; i < requests.Count; i++)
            {
                if (requests[i].FirstLayer == step && requests[i].Size > 0)
                {
                    if (allocate(requests[i].Size) is not long start)
                    {
                        return null;
                    }

                    offsets[i] = start;
                }
            }

            for (int i = 0; i < requests.Count; i++)
            {
                if (requests[i].LastLayer == step && requests[i].Size > 0)
                {
                    list.Free(offsets[i]);
                }
            }
        }

        return offsets;
    }

    /// <summary>Ordered blocks covering [0, End): used or free, free neighbours always merged.</summary>
    private sealed class FreeList
    {
        private readonly List<(long Start, long Size, bool Used)> _blocks = [];
        private readonly bool _growable;

        public FreeList(bool growable, long capacity)
        {
            _growable = growable;
            if (capacity > 0)
            {
                _blocks.Add((0, capacity, false));
            }
        }

        public long End => _blocks.Count == 0 ? 0 : _blocks[^1].Start + _blocks[^1].Size;

        public long? AllocateLastFitFromTop(long size)
        {
            int index = LastFit(size);
            if (index < 0 && _growable)
            {
                if (_blocks.Count == 0 || _blocks[^1].Used)
                {
                    _blocks.Add((End, size, false));
                }
                else
                {
                    _blocks[^1] = _blocks[^1] with { Size = size };
                }

                index = LastFit(size);
            }

            return index < 0 ? null : Carve(index, size, fromTop: true);
        }

        public long? AllocateLastFitPingPong(long size, ref bool fromTop)
        {
            int index = LastFit(size);
            if (index < 0)
            {
                return null;
            }

            if (_blocks[index].Size == size)
            {
                return Carve(index, size, fromTop);
            }

            long start = Carve(index, size, fromTop);
            fromTop = !fromTop;
            return start;
        }

        public void Free(long start)
        {
            int index = _blocks.FindIndex(b => b.Used && b.Start == start);
            if (index < 0)
            {
                throw new InvalidOperationException($"no used block starts at {start}");
            }

            _blocks[index] = _blocks[index] with { Used = false };
            if (index + 1 < _blocks.Count && !_blocks[index + 1].Used)
            {
                _blocks[index] = _blocks[index] with { Size = _blocks[index].Size + _blocks[index + 1].Size };
                _blocks.RemoveAt(index + 1);
            }

            if (index > 0 && !_blocks[index - 1].Used)
            {
                _blocks[index - 1] = _blocks[index - 1] with { Size = _blocks[index - 1].Size + _blocks[index].Size };
                _blocks.RemoveAt(index);
            }
        }

        private int LastFit(long size) => _blocks.FindLastIndex(b => !b.Used && b.Size >= size);

        private long Carve(int index, long size, bool fromTop)
        {
            var block = _blocks[index];
            if (block.Size == size)
            {
                _blocks[index] = block with { Used = true };
                return block.Start;
            }

            if (fromTop)
            {
                _blocks[index] = block with { Size = block.Size - size };
                _blocks.Insert(index + 1, (block.Start + block.Size - size, size, true));
                return block.Start + block.Size - size;
            }

            _blocks[index] = (block.Start + size, block.Size - size, false);
            _blocks.Insert(index, (block.Start, size, true));
            return block.Start;
        }
    }
}
