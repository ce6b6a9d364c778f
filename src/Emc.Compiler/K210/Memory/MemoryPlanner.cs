using Emc.Compiler.K210.Graph;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Memory;

/// <summary>
/// Assigns every lowered tensor its address: main-memory byte offsets (sizes rounded up to 8, spec §3.1) and
/// KPU RAM units (spec §3.2), both by liveness with <see cref="IntervalAllocator"/>. KPU tensors are placed
/// from the top of the 32768 units downwards (the SDK copies the input to the first conv's image_src_addr,
/// any address works). Alias tensors take their root's address; outputs written in place over a dying input
/// (<see cref="InPlaceReuse"/>) take that input's.
/// </summary>
internal static class MemoryPlanner
{
    public static MemoryPlan Plan(K210Model model)
    {
        // In-place reuse lengthens and widens buffers, which can pack worse: keep it only where it is smaller.
        var requests = MemoryRequests.Collect(model, inPlace: false);
        var (mainOffsets, mainExtent) = IntervalAllocator.Place(requests.Main);
        var inPlace = MemoryRequests.Collect(model, inPlace: true);
        if (inPlace.SharedOutputs.Count > 0)
        {
            var (offsets, extent) = IntervalAllocator.Place(inPlace.Main);
            if (extent < mainExtent)
            {
                (requests, mainOffsets, mainExtent) = (inPlace, offsets, extent);
            }
        }

        var main = requests.MainTensors;
        var kpu = requests.KpuTensors;
        for (int i = 0; i < main.Count; i++)
        {
            main[i].Address = mainOffsets[i];
        }

        var kpuRequests = requests.Kpu;
        var (kpuOffsets, kpuExtent) = IntervalAllocator.Place(kpuRequests);
        long lowest = KpuTensorLayout.TotalUnits;
        for (int i = 0; i < kpu.Count; i++)
        {
            // Mirror to the top of KPU RAM: unit = 32768 − (offset + size).
            kpu[i].Address = KpuTensorLayout.TotalUnits - (kpuOffsets[i] + kpuRequests[i].Size);
            lowest = Math.Min(lowest, kpu[i].Address);
        }

        foreach (var (output, buffer) in requests.SharedOutputs)
        {
            output.Address = buffer.Address;
        }

        foreach (var layer in model.Layers)
        {
            foreach (var t in layer.Inputs.Append(layer.Output).Concat(layer.ExtraOutputs))
            {
                if (t.AliasOf is not null)
                {
                    t.Address = AliasAddress(t);
                }
            }
        }

        foreach (var (_, t) in model.Outputs)
        {
            if (t.AliasOf is not null)
            {
                t.Address = AliasAddress(t);
            }
        }

        return new MemoryPlan(mainExtent, kpuExtent, lowest);
    }

    /// <summary>Units of a KPU map plus the tail a shifted reader needs.</summary>
    public static long KpuUnits(K210Tensor t) =>
        KpuTensorLayout.SizeInUnits(t.Width, t.Height, t.Channels) + t.KpuTailUnits;

    private static long AliasAddress(K210Tensor t) => Root(t).Address + RootOffset(t);

    /// <summary>Where a tensor starts inside its alias root.</summary>
    internal static long RootOffset(K210Tensor t)
    {
        long offset = 0;
        for (; t.AliasOf is not null; t = t.AliasOf)
        {
            offset += t.AliasOffset;
        }

        return offset;
    }

    internal static K210Tensor Root(K210Tensor t)
    {
        while (t.AliasOf is not null)
        {
            t = t.AliasOf;
        }

        return t;
    }
}
