using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.K210.Lowering.Steps;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A stride-1 "same" conv (1×1, or 3×3 with pads 1; regular or depthwise) whose output plane has more than 65536
/// pixels, which no KPU layer can count (channel_byte_num). Its input, planar in main memory, is cut into row bands:
/// each band's input rows — its output rows plus one halo row above and below for a 3×3 kernel, clipped to the map —
/// are gathered from every channel (CONCAT of ranges: one run per channel), uploaded, and convolved by a K210_CONV with
/// the conv's own weights, activation and quantization, its output sent to main memory. A band at the top or bottom
/// of the map reads the KPU's padding there, which is the conv's own padding; an inner band's first and last output
/// rows read padding instead of pixels and are dropped. One CONCAT of ranges takes the valid rows of every band into
/// the planar [OC, H, W] output. Exact: every kept output pixel reads the same bytes as in one big layer.
/// Only where the one layer would break the plane limit (it was EMC0503 before).
/// </summary>
internal sealed class ConvByRowBands : IPass
{
    public static readonly ConvByRowBands Instance = new();

    public string Name => "conv-by-row-bands";

    public string Summary => "a stride-1 1×1/3×3 conv whose output plane exceeds 65536 pixels → row bands with halos gathered from its main-memory input, one KPU conv each, joined by a concat";

    /// <summary>One band: input rows [InFirst, InFirst + InRows), output rows [OutFirst, OutFirst + OutRows) of the map,
    /// which are rows [OutFirst − InFirst, …) of the band's own output.</summary>
    internal readonly record struct RowBand(int InFirst, int InRows, int OutFirst, int OutRows);

    /// <summary>
    /// True when <paramref name="conv"/> would be banded: a native stride-1 "same" 1×1/3×3 conv (no shifted windows,
    /// no pool fused after it, no per-channel PRelu) whose output plane exceeds <paramref name="maxPlane"/> and whose
    /// bands fit the KPU; or a 3×3 stride-2 conv that <see cref="StridedConvByRowBands"/> bands. A device input then
    /// passes through the identity first layer, which copies it to main memory (<see cref="IdentityInputLayer"/>, as row blocks).
    /// </summary>
    public static bool Bandable(LoweringContext ctx, Node conv)
    {
        int maxPlane = ctx.Options.RowBandPlane;
        if (conv.Parameters is not ConvParameters p || ConvLowering.KernelProblems(p).Count > 0 || ConvLowering.ResourceProblems(conv, p).Count > 0)
        {
            return false;
        }

        if (StridedConvByRowBands.Matches(ctx, p))
        {
            return !PoolOrHalvesFollow(conv.Outputs[0], 2);
        }

        var g = p.Geometry;
        int k = g.KernelHeight;
        bool same = g.StrideHeight == 1 && g.OutputHeight == g.InputHeight && g.OutputWidth == g.InputWidth
            && (k == 1 || (g.PadTop == 1 && g.PadLeft == 1));
        return same && (long)g.OutputHeight * g.OutputWidth > maxPlane && !PoolOrHalvesFollow(conv.Outputs[0], 2)
            && Plan(g.InputChannels, g.OutputChannels, k, g.InputHeight, g.InputWidth, maxPlane) is not null;
    }

    /// <summary>A MaxPool (fused into the conv) or PRelu (computed as halves) within <paramref name="depth"/> consumers
    /// (conservative: through any op but a conv).</summary>
    internal static bool PoolOrHalvesFollow(Value value, int depth) =>
        depth > 0 && value.Consumers.Any(n => n.OpType is "MaxPool" or "PRelu" || (n.OpType != "Conv" && n.Outputs.Any(o => PoolOrHalvesFollow(o, depth - 1))));

    /// <summary>
    /// The fewest bands whose input and output planes each hold at most <paramref name="maxPlane"/> pixels and fit KPU
    /// RAM together (rows as even as possible), or null when none do (a band needs at least 4 rows).
    /// </summary>
    public static IReadOnlyList<RowBand>? Plan(int inChannels, int outChannels, int k, int h, int w, int maxPlane = CheckKpuLimits.MaxMainOutputPlane)
    {
        int halo = k / 2;
        for (int count = 2; count <= h / ConvLowering.MinSize; count++)
        {
            var bands = new List<RowBand>(count);
            bool fits = true;
            for (int b = 0; b < count && fits; b++)
            {
                int first = (int)((long)h * b / count), last = (int)((long)h * (b + 1) / count);
                int inFirst = Math.Max(0, first - halo), inLast = Math.Min(h, last + halo), rows = inLast - inFirst;
                fits = rows >= ConvLowering.MinSize && rows <= ConvLowering.MaxHeight && (long)rows * w <= maxPlane
                    && KpuTensorLayout.SizeInUnits(w, rows, inChannels) + KpuTensorLayout.SizeInUnits(w, rows, outChannels) <= KpuTensorLayout.TotalUnits;
                bands.Add(new RowBand(inFirst, rows, first, last - first));
            }

            if (fits)
            {
                return bands;
            }
        }

        return null;
    }

    /// <summary>
    /// A [C, H, W] map in main memory as row bands: band b's [C, InRows, W] output lies at <see cref="Offset"/>(b) in
    /// <see cref="Parts"/>, rows OutFirst… of the map being its rows OutFirst − InFirst…. A planar map is one band.
    /// </summary>
    internal sealed record BandedMap(string Name, K210Tensor Parts, IReadOnlyList<RowBand> Bands, int Channels, int Height, int Width)
    {
        public static BandedMap Planar(K210Tensor map) => new(map.Name, map, [new RowBand(0, map.Height, 0, map.Height)], map.Channels, map.Height, map.Width);

        public long Offset(int band) => Bands.Take(band).Sum(b => (long)Channels * b.InRows * Width);

        /// <summary>Rows [first, first + count) of channel <paramref name="channel"/>: one run per band they come from.</summary>
        public IEnumerable<ElementRun> Rows(int channel, int first, int count)
        {
            long offset = 0;
            foreach (var band in Bands)
            {
                int lo = Math.Max(first, band.OutFirst), hi = Math.Min(first + count, band.OutFirst + band.OutRows);
                if (lo < hi)
                {
                    yield return new ElementRun(offset + ((long)channel * band.InRows * Width) + ((long)(lo - band.InFirst) * Width), (long)(hi - lo) * Width);
                }

                offset += (long)Channels * band.InRows * Width;
            }
        }
    }

    /// <summary>
    /// True when every reader of <paramref name="value"/> is a conv that will be banded too: it then gathers its bands'
    /// rows from this conv's bands, and no planar join is made (one CONCAT less per conv in a chain). A reader that
    /// still needs the planar map gets the join when it asks (<see cref="LoweringContext.GetMainU8"/>).
    /// </summary>
    public static bool OnlyBandedReaders(LoweringContext ctx, Value value) =>
        !ctx.Graph.Outputs.Contains(value) && value.Consumers.Count > 0
        && value.Consumers.All(n => n.OpType == "Conv" && n.Inputs[0] == value && n.Inputs.Skip(1).All(i => i != value) && Bandable(ctx, n));

    /// <summary>Adds the layers; returns the output as row bands in main memory (see <see cref="Join"/>).</summary>
    public BandedMap Lower(LoweringContext ctx, string name, BandedMap input, KpuConvWeights w, KpuActivationFunction activation,
        IReadOnlyList<RowBand> bands, Value rangeSource, Value inputValue)
    {
        ctx.Passes.Record(this);
        int before = ctx.Model.Layers.Count;
        int c = input.Channels, h = input.Height, wd = input.Width, oc = w.OutChannels;

        // The bands' outputs back to back in one main buffer, so one gather joins them.
        long total = bands.Sum(b => (long)oc * b.InRows * wd);
        var parts = ctx.NewTensor(name + ".bands", K210ElementType.UInt8, K210MemoryKind.Main, 1, 1, (int)total);
        K210Tensor? quant = null;
        long offset = 0;
        foreach (var band in bands)
        {
            string bandName = string.Create(CultureInfo.InvariantCulture, $"{name} (rows {band.OutFirst}:{band.OutFirst + band.OutRows})");
            var kpu = UploadBand(ctx, bandName, input, band.InFirst, band.InRows);
            var output = ctx.NewTensor(bandName + ".out", K210ElementType.UInt8, K210MemoryKind.Kpu, oc, band.InRows, wd);
            ShareBandRange(output, ref quant, rangeSource);
            parts.QuantFrom = quant;

            var main = ctx.NewTensor(output.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, oc, band.InRows, wd);
            main.AliasOf = parts;
            main.AliasOffset = offset;
            main.QuantFrom = quant;
            ctx.Add(new KpuConvLayer(bandName, kpu, output, w, activation, KpuPoolType.Bypass) { MainOutput = main, InputValue = inputValue });
            offset += (long)oc * band.InRows * wd;
        }

        foreach (var layer in ctx.Model.Layers.Skip(before))
        {
            layer.Tiling = Tiling(h, wd, bands.Count) + (layer is KpuConvLayer conv ? string.Create(CultureInfo.InvariantCulture, $"band of {conv.Inputs[0].Height} input rows ({conv.Inputs[0].Height * wd} px)")
                : layer is UploadLayer ? "band uploaded" : "band's input rows gathered with their halo");
        }

        return new BandedMap(name, parts, bands, oc, h, wd);
    }

    /// <summary>Rows [first, first + rows) of every channel of <paramref name="input"/> gathered (CONCAT of ranges) and uploaded.</summary>
    internal static K210Tensor UploadBand(LoweringContext ctx, string bandName, BandedMap input, int first, int rows)
    {
        int c = input.Channels, wd = input.Width;
        var runs = Enumerable.Range(0, c).SelectMany(ch => input.Rows(ch, first, rows)).ToList();
        var gathered = GatherRunsByConcat.Instance.Apply(ctx, bandName, input.Parts, runs, input.Parts.Name + ".band", (c, rows, wd));
        var kpu = ctx.NewTensor(gathered.Name + ".kpu", K210ElementType.UInt8, K210MemoryKind.Kpu, c, rows, wd);
        kpu.QuantFrom = gathered;
        ctx.Add(new UploadLayer(bandName, gathered, kpu));
        return kpu;
    }

    /// <summary>The valid rows of every band, per channel, into one planar [C, H, W] map (one CONCAT of ranges).</summary>
    public K210Tensor Join(LoweringContext ctx, BandedMap map)
    {
        int before = ctx.Model.Layers.Count;
        var runs = Enumerable.Range(0, map.Channels).SelectMany(ch => map.Rows(ch, 0, map.Height)).ToList();
        var joined = GatherRunsByConcat.Instance.Apply(ctx, map.Name, map.Parts, runs, map.Name + ".joined", (map.Channels, map.Height, map.Width));
        foreach (var layer in ctx.Model.Layers.Skip(before))
        {
            layer.Tiling = Tiling(map.Height, map.Width, map.Bands.Count) + "the bands' valid rows joined per channel";
        }

        return joined;
    }

    private static string Tiling(int h, int w, int bands) => string.Create(CultureInfo.InvariantCulture, $"row bands {h}×{w} in {bands}: ");

    /// <summary>Every band's output shares one quantization: the first band's, from the conv's calibrated range.</summary>
    internal static void ShareBandRange(K210Tensor output, ref K210Tensor? first, Value rangeSource)
    {
        if (first is null)
        {
            output.RangeSource = rangeSource;
            first = output;
        }
        else
        {
            output.QuantFrom = first;
        }
    }
}
