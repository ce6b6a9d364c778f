using Emc.Kmodel;

namespace Emc.Cli.Inspect;

/// <summary>
/// What <c>emc inspect</c> says about a kmodel, as ordered key/value lists (values: string, long, float,
/// bool, int[] or nested facts) so that the text and JSON renderings show the same facts in the same order.
/// </summary>
internal static class KmodelInspectFacts
{
    public static List<KeyValuePair<string, object>> Header(KmodelFile model) =>
    [
        new("version", (long)model.Header.Version),
        new("flags", (long)model.Header.Flags),
        new("weights_bits", (long)(model.Header.EightBitWeights ? 8 : 16)),
        new("arch", (long)model.Header.Arch),
        new("layers", (long)model.Layers.Count),
        new("max_start_address", (long)model.Header.MaxStartAddress),
        new("main_mem_usage", (long)model.Header.MainMemUsage),
        new("body_start", model.BodyStart),
        new("declared_size", model.DeclaredLength),
    ];

    /// <summary>The model's input as the runtime takes it (spec: running, step 2): shape, element type, where it goes
    /// and what is known of its quantization.</summary>
    public static List<KeyValuePair<string, object>> Input(KmodelFile model)
    {
        var facts = new List<KeyValuePair<string, object>>();
        if (model.Layers.Count == 0)
        {
            facts.Add(new("kind", "none (no layers)"));
            return facts;
        }

        switch (model.Layers[0].Body)
        {
            case K210ConvBody c:
            {
                var r = c.Registers;
                double zero = 0.0 - ((double)r.ArgW / Math.Pow(2, r.ShrW));
                facts.Add(new("shape", new[] { r.InChannels, r.InHeight, r.InWidth }));
                facts.Add(new("type", "uint8"));
                facts.Add(new("layout", "planar CHW, copied into KPU RAM for layer 0 (K210_CONV)"));
                facts.Add(new("zero_point", (float)zero));
                facts.Add(new("quantization", "real = (q - zero_point) * scale; the scale is folded into layer 0's batch-norm words"));
                break;
            }

            case FullyConnectedBody f:
                facts.Add(new("shape", new[] { (int)f.InChannels }));
                facts.Add(new("type", "float32"));
                facts.Add(new("layout", $"copied to main memory at {f.In} for layer 0 (FULLY_CONNECTED)"));
                facts.Add(new("quantization", "none (float)"));
                break;
            default:
            {
                var read = LayerMemory.Ranges(model.Layers[0].Body).Where(r => !r.IsOutput).ToList();
                facts.Add(new("type", model.Layers[0].Body is QuantizeBody ? "float32" : "unknown"));
                facts.Add(new("layout", $"read by layer 0 ({KmodelLayerTypes.SdkName(model.Layers[0].Type)}) from {string.Join(", ", read.Select(r => $"{(r.Space == MemorySpace.Main ? "main" : "kpu")}[{r.Start}, {r.End})"))}"));
                facts.Add(new("stock_sdk_runs_it", false));
                if (model.Layers[0].Body is QuantizeBody q)
                {
                    facts.Add(new("shape", new[] { (int)q.Count }));
                    facts.Add(new("quantization", $"layer 0 quantizes: q = x * {q.Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} + {q.Bias.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
                }

                break;
            }
        }

        return facts;
    }

    public static List<KeyValuePair<string, object>> Layer(KmodelFile model, int index)
    {
        var layer = model.Layers[index];
        var facts = new List<KeyValuePair<string, object>>
        {
            new("index", (long)index),
            new("type", KmodelLayerTypes.SdkName(layer.Type)),
            new("type_code", (long)(uint)layer.Type),
            new("offset", model.BodyOffset(index)),
            new("body_size", (long)layer.BodySize),
            new("flags", (long)layer.Body.Flags),
            new("runs_on", layer.Type == KmodelLayerType.K210Conv ? "KPU" : "CPU"),
        };
        if (!KmodelLayerTypes.IsRunByStockSdk(layer.Type))
        {
            facts.Add(new("stock_sdk", false));
        }

        AddBodyFacts(facts, layer.Body);
        facts.Add(new("estimated_us", (float)Math.Round(KmodelCostModel.Estimate(model, index).EstimatedMicroseconds, 2)));
        facts.Add(new("memory", LayerMemory.Ranges(layer.Body).Select(Range).ToList()));
        return facts;
    }

    public static List<KeyValuePair<string, object>> Totals(KmodelFile model)
    {
        long convWeights = model.Layers.Select(l => l.Body).OfType<K210ConvBody>().Sum(c => (long)c.Weights.Length);
        long fcWeights = model.Layers.Select(l => l.Body).OfType<FullyConnectedBody>().Sum(f => 4L * (f.Weights.Length + f.Bias.Length));
        int kpu = model.Layers.Count(l => l.Type == KmodelLayerType.K210Conv);
        return
        [
            new("weight_bytes", convWeights + fcWeights),
            new("kpu_weight_bytes", convWeights),
            new("cpu_weight_bytes", fcWeights),
            new("kpu_layers", (long)kpu),
            new("cpu_layers", (long)(model.Layers.Count - kpu)),
            new("main_mem_usage", (long)model.Header.MainMemUsage),
            new("estimated_us", (float)Math.Round(KmodelCostModel.EstimateAll(model).Sum(e => e.EstimatedMicroseconds), 1)),
            new("estimate", "K210 cost model at 400 MHz, docs/cost-model.md; not a measurement"),
        ];
    }

    private static List<KeyValuePair<string, object>> Range(MemoryRange r) =>
    [
        new("name", r.Name),
        new("space", r.Space == MemorySpace.Main ? "main" : "kpu"),
        new("access", r.IsOutput ? "write" : "read"),
        new("start", r.Start),
        new("end", r.End),
        new("unit", r.Space == MemorySpace.Main ? "byte" : "64B"),
    ];

    private static void AddBodyFacts(List<KeyValuePair<string, object>> f, LayerBody body)
    {
        switch (body)
        {
            case K210ConvBody c:
                AddConv(f, c);
                break;
            case QuantizeBody b:
                f.Add(new("count", (long)b.Count));
                f.Add(new("scale", b.Scale));
                f.Add(new("bias", b.Bias));
                break;
            case DequantizeBody b:
                f.Add(new("count", (long)b.Count));
                f.Add(new("scale", b.Scale));
                f.Add(new("bias", b.Bias));
                break;
            case ChannelwiseDequantizeBody b:
                f.Add(new("channels", (long)b.Channels));
                f.Add(new("channel_size", (long)b.ChannelSize));
                break;
            case RequantizeBody b:
                f.Add(new("count", (long)b.Count));
                break;
            case FullyConnectedBody b:
                f.Add(new("in_channels", (long)b.InChannels));
                f.Add(new("out_channels", (long)b.OutChannels));
                f.Add(new("activation", Activation(b.Activation)));
                break;
            case QuantizedMaxPool2DBody b:
                AddWindow(f, b.Window);
                break;
            case Pool2DBody b:
                AddWindow(f, b.Window);
                f.Add(new("activation", Activation(b.Activation)));
                break;
            case GlobalAveragePool2DBody b:
                f.Add(new("kernel_size", (long)b.KernelSize));
                f.Add(new("channels", (long)b.Channels));
                break;
            case TensorflowFlattenBody b:
                f.Add(new("input", new[] { (int)b.Channels, (int)b.Height, (int)b.Width }));
                break;
            case ResizeNearestNeighborBody b:
                f.Add(new("input", new[] { (int)b.InChannels, (int)b.InHeight, (int)b.InWidth }));
                f.Add(new("output", new[] { (int)b.InChannels, (int)b.OutHeight, (int)b.OutWidth }));
                break;
            case ConcatBody b:
                f.Add(new("inputs", (long)b.Inputs.Count));
                break;
            case AddBody b:
                f.Add(new("count", (long)b.Count));
                break;
            case QuantizedAddBody b:
                f.Add(new("count", (long)b.Count));
                break;
            case SoftmaxBody b:
                f.Add(new("channels", (long)b.Channels));
                break;
            case LogisticBody b:
                f.Add(new("channels", (long)b.Channels));
                break;
            case L2NormalizationBody b:
                f.Add(new("channels", (long)b.Channels));
                break;
            case K210AddPaddingBody b:
                f.Add(new("channels", (long)b.Channels));
                break;
            case K210RemovePaddingBody b:
                f.Add(new("channels", (long)b.Channels));
                break;
            case K210UploadBody b:
                f.Add(new("input", new[] { (int)b.Channels, (int)b.Height, (int)b.Width }));
                break;
        }
    }

    private static void AddConv(List<KeyValuePair<string, object>> f, K210ConvBody c)
    {
        var r = c.Registers;
        f.Add(new("input", new[] { r.InChannels, r.InHeight, r.InWidth }));
        f.Add(new("output", new[] { r.OutChannels, r.OutHeight, r.OutWidth }));
        f.Add(new("kernel", (long)r.KernelSize));
        f.Add(new("depthwise", r.DepthWiseLayer));
        f.Add(new("pool_type", (long)r.PoolType));
        f.Add(new("main_mem_out", c.MainMemOut));
        if (c.MainMemOut)
        {
            f.Add(new("main_mem_out_address", (long)c.MainMemOutAddress));
        }

        f.Add(new("out_channels_per_load", (long)r.OutChannelsPerLoad));
        f.Add(new("loads", (long)r.Loads));
        f.Add(new("weight_bytes", (long)c.Weights.Length));
        f.Add(new("arg_x", (long)r.ArgX));
        f.Add(new("shr_x", (long)r.ShrX));
        f.Add(new("arg_w", (long)r.ArgW));
        f.Add(new("shr_w", (long)r.ShrW));
        f.Add(new("arg_add", r.ArgAdd));
        f.Add(new("pad_value", (long)r.PadValue));
    }

    private static void AddWindow(List<KeyValuePair<string, object>> f, PoolWindow w)
    {
        f.Add(new("input", new[] { (int)w.InChannels, (int)w.InHeight, (int)w.InWidth }));
        f.Add(new("output", new[] { (int)w.OutChannels, (int)w.OutHeight, (int)w.OutWidth }));
        f.Add(new("kernel", new[] { (int)w.KernelHeight, (int)w.KernelWidth }));
        f.Add(new("stride", new[] { (int)w.StrideHeight, (int)w.StrideWidth }));
        f.Add(new("padding", new[] { (int)w.PadHeight, (int)w.PadWidth }));
    }

    private static string Activation(uint code) => code switch
    {
        0 => "linear",
        1 => "relu",
        2 => "relu6",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
