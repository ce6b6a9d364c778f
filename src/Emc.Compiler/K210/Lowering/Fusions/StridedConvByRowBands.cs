using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Nodes;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;
using Emc.Kmodel;
using static Emc.Compiler.K210.Lowering.Fusions.ConvByRowBands;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A 3×3 stride-2 conv with pads 1 on an even map (its output is the stride-1 map at even rows and columns) whose KPU
/// output plane has more than 65536 pixels: the pooled output of a regular conv, the stride-1 map of a depthwise one (the
/// KPU cannot pool a depthwise layer). Row bands as in <see cref="ConvByRowBands"/>, each starting at an even input row:
/// band rows are the output's stride-1 rows plus, above an inner band, two rows (the halo row and the even row before
/// it, whose output reads padding and is dropped); no halo below, as the last even row reads one row past it. A regular
/// conv's band is pooled by the KPU (pool type 5, left-top 2×2 stride 2); a depthwise band's stride-1 output goes to
/// main memory and a CPU pick (1×1 max pool, stride 2) takes its even rows and columns. Every kept output pixel reads the
/// bytes one layer would. Only where the one layer would break the plane limit (it was EMC0503 before).
/// </summary>
internal sealed class StridedConvByRowBands : IPass
{
    public static readonly StridedConvByRowBands Instance = new();

    public string Name => "strided-conv-by-row-bands";

    public string Summary => "a 3×3 stride-2 conv whose KPU output plane exceeds 65536 pixels → row bands from even rows, pooled by the KPU (regular) or picked by the CPU (depthwise)";

    /// <summary>True for a native 3×3 stride-2 conv with pads 1 sampled at even coordinates whose one KPU layer would
    /// write more than <see cref="Compilation.CompileOptions.RowBandPlane"/> pixels per plane, and whose bands fit.</summary>
    public static bool Matches(LoweringContext ctx, ConvParameters p)
    {
        var g = p.Geometry;
        bool strided = g.KernelHeight == 3 && g.StrideHeight == 2 && g.StrideWidth == 2 && g.PadTop == 1 && g.PadLeft == 1
            && g.InputHeight % 2 == 0 && g.InputWidth % 2 == 0 && g.OutputHeight * 2 == g.InputHeight && g.OutputWidth * 2 == g.InputWidth;
        long plane = g.IsDepthwise ? (long)g.InputHeight * g.InputWidth : (long)g.OutputHeight * g.OutputWidth;
        return strided && plane > ctx.Options.RowBandPlane
            && Plan(g.InputChannels, g.OutputChannels, g.IsDepthwise, g.InputHeight, g.InputWidth, ctx.Options.RowBandPlane) is not null;
    }

    /// <summary>
    /// The fewest bands (in stride-1 rows: InFirst, InRows, OutFirst, OutRows all even) whose KPU output plane holds at most
    /// <paramref name="maxPlane"/> pixels and whose input and output fit KPU RAM together, or null when none do.
    /// </summary>
    public static IReadOnlyList<RowBand>? Plan(int inChannels, int outChannels, bool depthwise, int h, int w, int maxPlane)
    {
        int oh = h / 2;
        for (int count = 2; count <= oh / ConvLowering.MinSize; count++)
        {
            var bands = new List<RowBand>(count);
            bool fits = true;
            for (int b = 0; b < count && fits; b++)
            {
                int first = 2 * (int)((long)oh * b / count), last = 2 * (int)((long)oh * (b + 1) / count);
                int inFirst = Math.Max(0, first - 2), rows = last - inFirst;
                var (outRows, outWidth) = depthwise ? (rows, w) : (rows / 2, w / 2);
                fits = rows / 2 >= ConvLowering.MinSize && rows <= ConvLowering.MaxHeight && (long)outRows * outWidth <= maxPlane
                    && KpuTensorLayout.SizeInUnits(w, rows, inChannels) + KpuTensorLayout.SizeInUnits(outWidth, outRows, outChannels) <= KpuTensorLayout.TotalUnits;
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
    /// The sole reader of a banded depthwise conv's <paramref name="output"/> when it is a native regular 1×1 conv (no
    /// pool or PRelu after it) that one KPU layer per band can run on the band's stride-1 map in KPU RAM, taking the
    /// sample as pool type 5 (as <see cref="DeferStrideSample"/> does after one layer): no stride-1 copy to main memory
    /// and no CPU pick.
    /// </summary>
    public static Node? PoolingReader(LoweringContext ctx, Value output, int channels, int width, IReadOnlyList<RowBand> bands)
    {
        if (ctx.SoleConsumer(output) is not { OpType: "Conv" } reader || reader.Inputs[0] != output || reader.Inputs.Skip(1).Any(i => i == output)
            || reader.Parameters is not ConvParameters p || ConvLowering.Problems(reader, p).Count > 0 || PoolOrHalvesFollow(reader.Outputs[0], 2))
        {
            return null;
        }

        var g = p.Geometry;
        if (g.KernelHeight != 1 || g.StrideHeight != 1 || g.StrideWidth != 1 || g.IsDepthwise || g.InputChannels != channels)
        {
            return null;
        }

        int rows = bands.Max(b => b.InRows);
        var probe = new KpuConvWeights(channels, g.OutputChannels, 1, false, new float[channels * g.OutputChannels], new float[g.OutputChannels]);
        var band = new K210Tensor("band", K210ElementType.UInt8, K210MemoryKind.Kpu, channels, rows, width);
        return SplitKpuConv.Plan(probe, band, rows / 2, width / 2, ctx.Options.WeightBits, out _) is { Count: 1, Tiled: false } ? reader : null;
    }

    /// <summary>
    /// A depthwise conv's bands each followed by its <see cref="PoolingReader"/>: per band the gather, upload and depthwise
    /// conv (its stride-1 output stays in KPU RAM), then the 1×1 conv with pool type 5 sending [OC, rows/2, W/2] to main
    /// memory. Returns the reader's output value (its folded followers and activation included) and its bands.
    /// </summary>
    public (Value Output, BandedMap Map) LowerWithReader(LoweringContext ctx, string name, BandedMap input, KpuConvWeights w, KpuActivationFunction activation,
        IReadOnlyList<RowBand> bands, Value rangeSource, Value inputValue, Node reader)
    {
        ctx.Passes.Record(this);
        var rg = ((ConvParameters)reader.Parameters!).Geometry;
        float[] readerWeights = reader.Inputs[1]!.Constant!.ToFloatArray();
        float[] readerBias = reader.Inputs.Count > 2 && reader.Inputs[2]?.Constant is { } bc ? bc.ToFloatArray() : new float[rg.OutputChannels];
        var linear = LinearFollowers.Fold(ctx, reader.Outputs[0], new LinearWeights(readerWeights, readerBias, rg.InputChannels));
        var (readerOutput, readerActivation) = FuseActivationIntoKpuConv.Instance.Apply(ctx, linear, KpuActivationFunction.Linear);
        ctx.Consume(reader);
        ctx.Passes.Record(DeferStrideSample.Instance);
        var pw = new KpuConvWeights(rg.InputChannels, rg.OutputChannels, 1, false, readerWeights, readerBias);

        int before = ctx.Model.Layers.Count;
        int h = input.Height, wd = input.Width, ow = wd / 2, oc = pw.OutChannels;
        var outBands = bands.Select(b => new RowBand(b.InFirst / 2, b.InRows / 2, b.OutFirst / 2, b.OutRows / 2)).ToList();
        var parts = ctx.NewTensor(reader.Name + ".bands", K210ElementType.UInt8, K210MemoryKind.Main, 1, 1, (int)outBands.Sum(b => (long)oc * b.InRows * ow));
        K210Tensor? quant = null, readerQuant = null;
        long offset = 0;
        foreach (var band in bands)
        {
            string rows = string.Create(CultureInfo.InvariantCulture, $" (rows {band.OutFirst / 2}:{(band.OutFirst + band.OutRows) / 2})");
            var kpu = UploadBand(ctx, name + rows, input, band.InFirst, band.InRows);
            var map = ctx.NewTensor(name + rows + ".out", K210ElementType.UInt8, K210MemoryKind.Kpu, w.OutChannels, band.InRows, wd);
            ConvByRowBands.ShareBandRange(map, ref quant, rangeSource);

            ctx.Add(new KpuConvLayer(name + rows, kpu, map, w, activation, KpuPoolType.Bypass) { InputValue = inputValue });

            var pooled = ctx.NewTensor(reader.Name + rows + ".out", K210ElementType.UInt8, K210MemoryKind.Kpu, oc, band.InRows / 2, ow);
            ConvByRowBands.ShareBandRange(pooled, ref readerQuant, readerOutput);
            parts.QuantFrom = readerQuant;

            var main = ctx.NewTensor(pooled.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, oc, band.InRows / 2, ow);
            main.AliasOf = parts;
            main.AliasOffset = offset;
            main.QuantFrom = readerQuant;
            ctx.Add(new KpuConvLayer(reader.Name + rows, map, pooled, pw, readerActivation, KpuPoolType.LeftTop2S2) { MainOutput = main, InputValue = rangeSource });
            offset += (long)oc * (band.InRows / 2) * ow;
        }

        string tiling = string.Create(CultureInfo.InvariantCulture, $"stride-2 row bands {h}×{wd} in {bands.Count}: ");
        foreach (var layer in ctx.Model.Layers.Skip(before))
        {
            layer.Tiling = tiling + layer switch
            {
                KpuConvLayer conv when conv.Weights == pw => "band's 1×1 reader, pooled by the KPU (type 5), output to main memory",
                KpuConvLayer conv => string.Create(CultureInfo.InvariantCulture, $"band of {conv.Inputs[0].Height} input rows, stride-1 output kept in KPU RAM"),
                UploadLayer => "band uploaded",
                _ => "band's input rows gathered with their halo",
            };
        }

        return (readerOutput, new BandedMap(reader.Name, parts, outBands, oc, h / 2, ow));
    }

    /// <summary>Adds the layers; returns the [OC, H/2, W/2] output as row bands in main memory (see <see cref="ConvByRowBands.Join"/>).</summary>
    public BandedMap Lower(LoweringContext ctx, string name, BandedMap input, KpuConvWeights w, KpuActivationFunction activation,
        IReadOnlyList<RowBand> bands, Value rangeSource, Value inputValue)
    {
        ctx.Passes.Record(this);
        int before = ctx.Model.Layers.Count;
        int h = input.Height, wd = input.Width, ow = wd / 2, oc = w.OutChannels;
        var outBands = bands.Select(b => new RowBand(b.InFirst / 2, b.InRows / 2, b.OutFirst / 2, b.OutRows / 2)).ToList();
        var parts = ctx.NewTensor(name + ".bands", K210ElementType.UInt8, K210MemoryKind.Main, 1, 1, (int)outBands.Sum(b => (long)oc * b.InRows * ow));
        K210Tensor? quant = null;
        long offset = 0;
        foreach (var band in bands)
        {
            string bandName = string.Create(CultureInfo.InvariantCulture, $"{name} (rows {band.OutFirst / 2}:{(band.OutFirst + band.OutRows) / 2})");
            var kpu = UploadBand(ctx, bandName, input, band.InFirst, band.InRows);
            int rows = band.InRows;
            var output = w.Depthwise
                ? ctx.NewTensor(bandName + ".out", K210ElementType.UInt8, K210MemoryKind.Kpu, oc, rows, wd)
                : ctx.NewTensor(bandName + ".out", K210ElementType.UInt8, K210MemoryKind.Kpu, oc, rows / 2, ow);
            ConvByRowBands.ShareBandRange(output, ref quant, rangeSource);
            parts.QuantFrom = quant;

            var picked = ctx.NewTensor(bandName + ".main", K210ElementType.UInt8, K210MemoryKind.Main, oc, rows / 2, ow);
            picked.AliasOf = parts;
            picked.AliasOffset = offset;
            picked.QuantFrom = quant;
            if (w.Depthwise)
            {
                var full = ctx.NewTensor(bandName + ".stride1", K210ElementType.UInt8, K210MemoryKind.Main, oc, rows, wd);
                full.QuantFrom = quant;
                ctx.Add(new KpuConvLayer(bandName, kpu, output, w, activation, KpuPoolType.Bypass) { MainOutput = full, InputValue = inputValue });
                ctx.Add(new QuantizedMaxPoolLayer(bandName, full, picked, 0, rows, wd, 1, 2, 0, 0));
            }
            else
            {
                ctx.Add(new KpuConvLayer(bandName, kpu, output, w, activation, KpuPoolType.LeftTop2S2) { MainOutput = picked, InputValue = inputValue });
            }

            offset += (long)oc * (rows / 2) * ow;
        }

        string tiling = string.Create(CultureInfo.InvariantCulture, $"stride-2 row bands {h}×{wd} in {bands.Count}: ");
        foreach (var layer in ctx.Model.Layers.Skip(before))
        {
            layer.Tiling = tiling + layer switch
            {
                KpuConvLayer conv => string.Create(CultureInfo.InvariantCulture, $"band of {conv.Inputs[0].Height} input rows, {(w.Depthwise ? "stride-1 output to main memory" : "pooled by the KPU (type 5)")}"),
                UploadLayer => "band uploaded",
                QuantizedMaxPoolLayer => "even rows and columns of the band picked",
                _ => "band's input rows gathered with their halo",
            };
        }

        return new BandedMap(name, parts, outBands, oc, h / 2, ow);
    }
}
