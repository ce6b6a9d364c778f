using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Memory;

/// <summary>
/// The buffers a lowered model needs, one per alias root, with their sizes and lifetimes: main memory in bytes
/// (rounded up to 8, spec §3.1), KPU RAM in 64-byte units (spec §3.2). Lifetimes are inclusive layer indices:
/// from the producing layer (0 for the model input) to the last consumer (the layer count for model outputs,
/// which stay live to the end). <c>Main[i]</c> is the buffer of <c>MainTensors[i]</c>, likewise for KPU.
/// </summary>
public sealed record MemoryRequests(
    IReadOnlyList<K210Tensor> MainTensors,
    IReadOnlyList<BufferRequest> Main,
    IReadOnlyList<K210Tensor> KpuTensors,
    IReadOnlyList<BufferRequest> Kpu)
{
    public static MemoryRequests Collect(K210Model model)
    {
        var main = new List<K210Tensor>();
        var kpu = new List<K210Tensor>();
        var first = new Dictionary<K210Tensor, int>();
        var last = new Dictionary<K210Tensor, int>();

        void Touch(K210Tensor t, int layer)
        {
            var root = MemoryPlanner.Root(t);
            if (!first.ContainsKey(root))
            {
                first[root] = layer;
                last[root] = layer;
                (root.Memory == K210MemoryKind.Kpu ? kpu : main).Add(root);
            }

            first[root] = Math.Min(first[root], layer);
            last[root] = Math.Max(last[root], layer);
        }

        if (model.Input is not null)
        {
            Touch(model.Input, 0);
        }

        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            foreach (var t in layer.Inputs)
            {
                Touch(t, i);
            }

            Touch(layer.Output, i);
            foreach (var t in layer.ExtraOutputs)
            {
                Touch(t, i);
            }
        }

        foreach (var (_, t) in model.Outputs)
        {
            Touch(t, model.Layers.Count);
        }

        return new MemoryRequests(
            main,
            main.Select(t => new BufferRequest((t.Bytes + 7) / 8 * 8, first[t], last[t])).ToList(),
            kpu,
            kpu.Select(t => new BufferRequest(MemoryPlanner.KpuUnits(t), first[t], last[t])).ToList());
    }
}
