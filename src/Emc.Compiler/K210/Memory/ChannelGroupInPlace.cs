using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Memory;

/// <summary>
/// A depthwise conv tiled in channel groups with its input (<see cref="Lowering.Fusions.SplitKpuConv"/>): each group
/// uploads its channels of the input's main-memory map, then its conv sends its output channels to the same range of
/// the output's map. Group g's conv writes only bytes whose input group g has already uploaded, and the later groups
/// read other ranges, so the output map may start over the input map (<see cref="InPlaceReuse"/>): DeepLabV3's
/// expanded_conv_1 needs one 48×129×129 buffer in main memory instead of two. Legal when every group but the last spans
/// whole 8-byte words (the output DMA writes whole words), the groups run in ascending channel order, and nothing else
/// reads the input or writes the output.
/// </summary>
internal static class ChannelGroupInPlace
{
    /// <summary>Output root → the input root it may overwrite from offset 0.</summary>
    public static IEnumerable<(K210Tensor Output, K210Tensor Input)> Find(K210Model model)
    {
        var index = model.Layers.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        var producer = model.Layers.ToDictionary(l => l.Output, l => l);
        var groups = model.Layers.OfType<KpuConvLayer>()
            .Where(c => c.MainOutput is { AliasOf: { } } && c.Inputs[0] is var t && producer.GetValueOrDefault(t) is UploadLayer)
            .GroupBy(c => MemoryPlanner.Root(c.MainOutput!));
        foreach (var group in groups)
        {
            var output = group.Key;
            var parts = group.Select(c => (Conv: c, Upload: (UploadLayer)producer[c.Inputs[0]], Slice: c.MainOutput!)).OrderBy(p => p.Slice.AliasOffset).ToList();
            var views = parts.Select(p => p.Upload.Inputs[0]).ToList();
            if (views.Any(v => v.AliasOf is null) || views.Select(MemoryPlanner.Root).Distinct().Count() != 1)
            {
                continue;
            }

            var input = MemoryPlanner.Root(views[0]);
            if (input.Memory != K210MemoryKind.Main || input.IsDeviceInput || input.Bytes != output.Bytes || model.Outputs.Any(o => MemoryPlanner.Root(o.Tensor) == input || MemoryPlanner.Root(o.Tensor) == output)
                || !Paired(parts) || !OnlyReaders(model, input, parts.Select(p => (K210Layer)p.Upload)) || !OnlyWriters(model, output, parts.Select(p => p.Conv)))
            {
                continue;
            }

            bool ordered = true;
            for (int g = 0; g < parts.Count; g++)
            {
                int conv = index[parts[g].Conv], upload = index[parts[g].Upload];
                bool wholeWords = g == parts.Count - 1 || parts[g].Slice.Bytes % 8 == 0;
                ordered &= wholeWords && upload < conv && (g == 0 || index[parts[g - 1].Conv] < upload);
            }

            if (ordered)
            {
                yield return (output, input);
            }
        }
    }

    /// <summary>Each conv writes exactly the range its upload read.</summary>
    private static bool Paired(List<(KpuConvLayer Conv, UploadLayer Upload, K210Tensor Slice)> parts) =>
        parts.All(p => p.Upload.Inputs[0] is var v && v.AliasOffset == p.Slice.AliasOffset && v.Bytes == p.Slice.Bytes
            && v.AliasOf is { AliasOf: null } && p.Slice.AliasOf is { AliasOf: null });

    private static bool OnlyReaders(K210Model model, K210Tensor root, IEnumerable<K210Layer> allowed)
    {
        var set = allowed.ToHashSet();
        return model.Layers.Where(l => l.Inputs.Any(t => MemoryPlanner.Root(t) == root)).All(set.Contains);
    }

    private static bool OnlyWriters(K210Model model, K210Tensor root, IEnumerable<K210Layer> allowed)
    {
        var set = allowed.ToHashSet();
        return model.Layers.Where(l => l.ExtraOutputs.Prepend(l.Output).Any(t => MemoryPlanner.Root(t) == root)).All(set.Contains);
    }
}
