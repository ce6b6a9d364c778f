using System.Globalization;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.K210.Lowering.Steps;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A 3×3 stride-2 stem with pads 1 on an odd input (DeepLabV3's 257×257 → 129×129). The KPU's pool type 5 takes
/// (2i, 2j) for i &lt; ⌊n/2⌋, so the last row and column of the output (input row/column n − 1) are missing, and the
/// stride-1 map cannot leave the KPU for a CPU pick: a layer's output plane holds at most 65536 pixels
/// (channel_byte_num), in KPU RAM too. Instead, all exact and with stock layers:
/// <list type="bullet">
/// <item>the stem itself, first layer, with pool type 5: every output pixel but the last row and column;</item>
/// <item>the input's KPU RAM, read as one-channel maps 64 bytes wide (one KPU row unit per map row, so the stock
/// channel_switch_addr = row_len·IH holds), is copied to main memory by 1×1 identity convs (weight 1, the input's own
/// quantization: every byte passes unchanged);</item>
/// <item>the last four input rows and the last four columns are gathered from that copy (CONCAT of ranges), uploaded, and
/// convolved at stride 1 with the same weights — the KPU pads them below and to the right with the same pad_value as the
/// whole input, and their first row/column, which reads padding instead of real pixels, is never used;</item>
/// <item>CPU picks take the last output row and column, and one CONCAT of ranges joins the three parts per channel.</item>
/// </list>
/// Only where the old stride-1-and-pick realisation exceeds the plane limit.
/// </summary>
internal sealed class OddStemByEdges : IPass
{
    public static readonly OddStemByEdges Instance = new();

    public string Name => "odd-stem-by-edges";

    public string Summary => "a 3×3 stride-2 stem on an odd input over 65536 pixels → pooled stem + its last row and column from small convs over copied input edges, joined by a concat";

    /// <summary>Rows (or columns) of an edge map: the KPU minimum.</summary>
    private const int EdgeSize = ConvLowering.MinSize;

    /// <summary>True for a regular 3×3 conv on the device input, sampled (0, 0) with stride 2 on a stride-1 map that is
    /// too large for one output plane and has an odd side; the input map being the input's quantization.</summary>
    public static bool Matches(LoweringContext ctx, K210Tensor input, KpuConvWeights w, PendingSample s)
    {
        int h = input.Height, wd = input.Width;
        return input.IsDeviceInput && ctx.Preprocessing is { IsQuantization: true } && w.KernelSize == 3 && !w.Depthwise
            && s is { RowOffset: 0, ColOffset: 0, Stride: 2, Replicated: false }
            && (long)h * wd > CheckKpuLimits.MaxMainOutputPlane && (h % 2 == 1 || wd % 2 == 1)
            && s.Height == (h + 1) / 2 && s.Width == (wd + 1) / 2
            && h / 2 >= ConvLowering.MinSize && wd / 2 >= ConvLowering.MinSize && h >= EdgeSize && wd >= EdgeSize
            && KpuTensorLayout.ForWidth(wd).Groups == 1 && ConvLowering.FitsKpuMap(input.Channels, h, wd)
            && (h % 2 == 0 || (long)EdgeSize * wd <= CheckKpuLimits.MaxMainOutputPlane)
            && (wd % 2 == 0 || (long)EdgeSize * h <= CheckKpuLimits.MaxMainOutputPlane);
    }

    /// <summary>Adds the layers; returns the output [OC, s.Height, s.Width] in main memory.</summary>
    public K210Tensor Lower(LoweringContext ctx, string name, K210Tensor input, KpuConvWeights w, KpuActivationFunction activation, PendingSample s, Ir.Value rangeSource, Ir.Value inputValue)
    {
        ctx.Passes.Record(this);
        int before = ctx.Model.Layers.Count;
        int oc = w.OutChannels, h = input.Height, wd = input.Width, ah = h / 2, aw = wd / 2;
        bool bottom = h % 2 == 1, right = wd % 2 == 1;

        // One main buffer holds the three parts back to back, so one gather joins them.
        long partsBytes = ((long)oc * ah * aw) + (bottom ? (long)oc * s.Width : 0) + (right ? (long)oc * ah : 0);
        var parts = ctx.NewTensor(name + ".parts", K210ElementType.UInt8, K210MemoryKind.Main, 1, 1, (int)partsBytes);
        var pooled = ctx.NewTensor(name + ".pooled", K210ElementType.UInt8, K210MemoryKind.Kpu, oc, ah, aw);
        pooled.RangeSource = rangeSource;
        parts.QuantFrom = pooled;
        var pooledMain = Slice(ctx, parts, 0, pooled, oc, ah, aw);
        ctx.Add(new KpuConvLayer(name, input, pooled, w, activation, KpuPoolType.LeftTop2S2) { MainOutput = pooledMain, InputValue = inputValue });

        var raw = CopyToMain(ctx, name, input);
        var layout = KpuTensorLayout.ForWidth(wd);
        long rowBytes = (long)layout.RowLength * KpuTensorLayout.UnitBytes, channelBytes = rowBytes * h;
        long offset = (long)oc * ah * aw;
        K210Tensor? lastRow = null, lastCol = null;
        if (bottom)
        {
            var runs = new List<ElementRun>();
            for (int c = 0; c < input.Channels; c++)
            {
                for (int r = h - EdgeSize; r < h; r++)
                {
                    runs.Add(new ElementRun((c * channelBytes) + (r * rowBytes), wd));
                }
            }

            var edge = Edge(ctx, name + " (bottom edge)", raw, runs, (input.Channels, EdgeSize, wd), w, activation, pooled, inputValue);
            lastRow = Slice(ctx, parts, offset, pooled, oc, 1, s.Width);
            ctx.Add(new QuantizedMaxPoolLayer(name + " (bottom edge)", edge, lastRow, (EdgeSize - 1) * wd, EdgeSize, wd, 1, 2, 0, 0));
            offset += (long)oc * s.Width;
        }

        if (right)
        {
            var runs = new List<ElementRun>();
            for (int c = 0; c < input.Channels; c++)
            {
                for (int r = 0; r < h; r++)
                {
                    runs.Add(new ElementRun((c * channelBytes) + (r * rowBytes) + wd - EdgeSize, EdgeSize));
                }
            }

            var edge = Edge(ctx, name + " (right edge)", raw, runs, (input.Channels, h, EdgeSize), w, activation, pooled, inputValue);
            lastCol = Slice(ctx, parts, offset, pooled, oc, ah, 1);
            ctx.Add(new QuantizedMaxPoolLayer(name + " (right edge)", edge, lastCol, EdgeSize - 1, h, EdgeSize, 1, 2, 0, 0) { StrideW = 1 });
        }

        // Per channel: each pooled row followed by its last-column pixel, then the last row.
        var join = new List<ElementRun>();
        for (int c = 0; c < oc; c++)
        {
            long pooledAt = (long)c * ah * aw;
            if (right)
            {
                long colAt = lastCol!.AliasOffset + ((long)c * ah);
                for (int i = 0; i < ah; i++)
                {
                    join.Add(new ElementRun(pooledAt + ((long)i * aw), aw));
                    join.Add(new ElementRun(colAt + i, 1));
                }
            }
            else
            {
                join.Add(new ElementRun(pooledAt, (long)ah * aw));
            }

            if (bottom)
            {
                join.Add(new ElementRun(lastRow!.AliasOffset + ((long)c * s.Width), s.Width));
            }
        }

        var joined = GatherRunsByConcat.Instance.Apply(ctx, name, parts, Merge(join), name + ".joined", (oc, s.Height, s.Width));
        string stem = string.Create(CultureInfo.InvariantCulture, $"odd stem {h}×{wd} → {s.Height}×{s.Width}: ");
        foreach (var layer in ctx.Model.Layers.Skip(before))
        {
            layer.Tiling = stem + (layer.Name.EndsWith("(input copy)", StringComparison.Ordinal) ? "input KPU RAM copied to main memory for the edges"
                : layer.Name.EndsWith("(bottom edge)", StringComparison.Ordinal) ? "last output row, from the last 4 input rows"
                : layer.Name.EndsWith("(right edge)", StringComparison.Ordinal) ? "last output column, from the last 4 input columns"
                : layer is KpuConvLayer ? string.Create(CultureInfo.InvariantCulture, $"pooled stem, outputs {ah}×{aw}")
                : "the parts joined per channel");
        }

        return joined;
    }

    /// <summary>Adjacent runs as one (a pooled row and its last-column pixel are not adjacent; whole planes are).</summary>
    private static List<ElementRun> Merge(List<ElementRun> runs)
    {
        var merged = new List<ElementRun>(runs.Count);
        foreach (var run in runs)
        {
            if (merged.Count > 0 && merged[^1].Start + merged[^1].Length == run.Start)
            {
                merged[^1] = merged[^1] with { Length = merged[^1].Length + run.Length };
            }
            else
            {
                merged.Add(run);
            }
        }

        return merged;
    }

    private static K210Tensor Slice(LoweringContext ctx, K210Tensor parts, long offset, K210Tensor quant, int c, int h, int w)
    {
        var slice = ctx.NewTensor(parts.Name + ".part", K210ElementType.UInt8, K210MemoryKind.Main, c, h, w);
        slice.AliasOf = parts;
        slice.AliasOffset = offset;
        slice.QuantFrom = quant;
        return slice;
    }

    /// <summary>The input's KPU RAM bytes (its layout, rows padded to 64-byte units) in main memory.</summary>
    internal static K210Tensor CopyToMain(LoweringContext ctx, string name, K210Tensor input)
    {
        long units = KpuTensorLayout.SizeInUnits(input.Width, input.Height, input.Channels);
        var raw = ctx.NewTensor(input.Name + ".raw", K210ElementType.UInt8, K210MemoryKind.Main, 1, (int)units, KpuTensorLayout.UnitBytes);
        raw.QuantFrom = input;
        var identity = new KpuConvWeights(1, 1, 1, true, [1f], [0f]);
        for (long first = 0; first < units; first += ConvLowering.MaxHeight)
        {
            long start = Math.Min(first, units - ConvLowering.MinSize);
            int rows = (int)Math.Min(ConvLowering.MaxHeight, units - start);
            var view = ctx.NewTensor($"{input.Name}.units[{start}:{start + rows}]", K210ElementType.UInt8, K210MemoryKind.Kpu, 1, rows, KpuTensorLayout.UnitBytes);
            view.AliasOf = input;
            view.AliasOffset = start;
            view.QuantFrom = input;
            var copy = ctx.NewTensor(view.Name + ".copy", K210ElementType.UInt8, K210MemoryKind.Kpu, 1, rows, KpuTensorLayout.UnitBytes);
            copy.QuantFrom = input;
            var slice = ctx.NewTensor(copy.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, 1, rows, KpuTensorLayout.UnitBytes);
            slice.AliasOf = raw;
            slice.AliasOffset = start * KpuTensorLayout.UnitBytes;
            slice.QuantFrom = input;
            ctx.Add(new KpuConvLayer(name + " (input copy)", view, copy, identity, KpuActivationFunction.Linear, KpuPoolType.Bypass) { MainOutput = slice });
        }

        return raw;
    }

    /// <summary>An edge of the input gathered from the copy, uploaded and convolved at stride 1 (output in main memory).</summary>
    private static K210Tensor Edge(LoweringContext ctx, string name, K210Tensor raw, List<ElementRun> runs, (int C, int H, int W) dims,
        KpuConvWeights w, KpuActivationFunction activation, K210Tensor quant, Ir.Value inputValue)
    {
        var gathered = GatherRunsByConcat.Instance.Apply(ctx, name, raw, Merge(runs), raw.Name + ".edge", dims);
        var kpu = ctx.NewTensor(gathered.Name + ".kpu", K210ElementType.UInt8, K210MemoryKind.Kpu, dims.C, dims.H, dims.W);
        kpu.QuantFrom = gathered;
        ctx.Add(new UploadLayer(name, gathered, kpu));
        var output = ctx.NewTensor(name + ".out", K210ElementType.UInt8, K210MemoryKind.Kpu, w.OutChannels, dims.H, dims.W);
        output.QuantFrom = quant;
        var main = ctx.NewTensor(output.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, w.OutChannels, dims.H, dims.W);
        main.QuantFrom = quant;
        ctx.Add(new KpuConvLayer(name, kpu, output, w, activation, KpuPoolType.Bypass) { MainOutput = main, InputValue = inputValue });
        return main;
    }
}
