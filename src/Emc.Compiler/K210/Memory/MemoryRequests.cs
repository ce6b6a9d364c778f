using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Memory;

/// <summary>
/// The buffers a lowered model needs, one per alias root, with their sizes and lifetimes: main memory in bytes
/// (rounded up to 8, spec §3.1), KPU RAM in 64-byte units (spec §3.2). Lifetimes are inclusive layer indices:
/// from the producing layer (0 for the model input) to the last consumer (the layer count for model outputs,
/// which stay live to the end). <c>Main[i]</c> is the buffer of <c>MainTensors[i]</c>, likewise for KPU.
/// With <c>inPlace</c>, outputs that <see cref="InPlaceReuse"/> allows to overwrite a dying input join that input's
/// buffer (lifetimes united, size the larger); they are listed in <see cref="SharedOutputs"/> instead.
/// </summary>
internal sealed record MemoryRequests(
    IReadOnlyList<K210Tensor> MainTensors,
    IReadOnlyList<BufferRequest> Main,
    IReadOnlyList<K210Tensor> KpuTensors,
    IReadOnlyList<BufferRequest> Kpu)
{
    /// <summary>Outputs placed at the start of another buffer (output → the buffer's tensor in <see cref="MainTensors"/>).</summary>
    public IReadOnlyDictionary<K210Tensor, K210Tensor> SharedOutputs { get; init; } = new Dictionary<K210Tensor, K210Tensor>();

    public static MemoryRequests Collect(K210Model model, bool inPlace = true)
    {
        var shares = inPlace ? InPlaceReuse.Find(model) : [];
        var size = new Dictionary<K210Tensor, long>();

        K210Tensor Group(K210Tensor t)
        {
            t = MemoryPlanner.Root(t);
            while (shares.TryGetValue(t, out var into))
            {
                t = MemoryPlanner.Root(into);
            }

            return t;
        }

        var main = new List<K210Tensor>();
        var kpu = new List<K210Tensor>();
        var first = new Dictionary<K210Tensor, int>();
        var last = new Dictionary<K210Tensor, int>();

        void Touch(K210Tensor t, int layer)
        {
            var own = MemoryPlanner.Root(t);
            var root = Group(own);
            long bytes = own.Memory == K210MemoryKind.Kpu ? MemoryPlanner.KpuUnits(own) : (own.Bytes + 7) / 8 * 8;
            size[root] = Math.Max(size.GetValueOrDefault(root), bytes);
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

            if (layer is QuantizedMaxPoolLayer pool)
            {
                // The body declares the input as in_w·in_h·channels bytes from the (offset) read start; the reader
                // requires that range inside the main buffer even where the window never reaches its end.
                var input = MemoryPlanner.Root(pool.Inputs[0]);
                long declared = MemoryPlanner.RootOffset(pool.Inputs[0]) + pool.InputOffset + ((long)pool.InputHeight * pool.InputWidth * pool.Output.Channels);
                var group = Group(input);
                size[group] = Math.Max(size[group], (declared + 7) / 8 * 8);
            }

            Touch(layer.Output, i);
            foreach (var t in layer.ExtraOutputs)
            {
                Touch(t, i);
            }

            if (layer is KpuConvLayer { MainOutput: { } sent })
            {
                // The output DMA writes whole 8-byte words from wherever the slice starts (spec §5.8): a slice at an
                // unaligned offset that ends its buffer (the last channel chunk of a split conv) needs the rest of the word.
                var group = Group(MemoryPlanner.Root(sent));
                long written = MemoryPlanner.RootOffset(sent) + ((sent.Bytes + 7) / 8 * 8);
                size[group] = Math.Max(size[group], (written + 7) / 8 * 8);
            }
        }

        foreach (var (_, t) in model.Outputs)
        {
            Touch(t, model.Layers.Count);
        }

        return new MemoryRequests(
            main,
            main.Select(t => new BufferRequest(size[t], first[t], last[t])).ToList(),
            kpu,
            kpu.Select(t => new BufferRequest(size[t], first[t], last[t])).ToList())
        {
            SharedOutputs = shares.Keys.ToDictionary(t => t, Group),
        };
    }
}
