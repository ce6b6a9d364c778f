using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// State shared by the lowering transforms: the lowered model being built, the device representations of each
/// IR value, and the conversions between them (KPU ↔ main memory, uint8 ↔ float), created on demand in
/// execution order.
/// </summary>
internal sealed class LoweringContext
{
    private readonly Dictionary<Value, ValueSlot> _slots = [];
    private readonly HashSet<Node> _consumed = [];
    private readonly List<Node> _consumedInOrder = [];
    private int _counter;

    public LoweringContext(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics, PassLog passes)
    {
        Graph = graph;
        Options = options;
        Diagnostics = diagnostics;
        Passes = passes;
    }

    public Ir.Graph Graph { get; }

    public CompileOptions Options { get; }

    public DiagnosticBag Diagnostics { get; }

    public K210Model Model { get; } = new();

    /// <summary>Preprocessing folded into the first conv: per-input-channel real = q·scale + offset.</summary>
    public Preprocessing? Preprocessing { get; set; }

    /// <summary>The value the device input stands for: the graph input, or the end of its folded normalization.</summary>
    public Value? DeviceInputValue { get; set; }

    /// <summary>Set when every lowering error lies in the graph's tail: the tensors to compile up to instead.</summary>
    public IReadOnlyList<string>? SuggestedOutputs { get; set; }

    /// <summary>How often each fusion, realisation choice and lowering applied.</summary>
    public PassLog Passes { get; }

    public ValueSlot Slot(Value value)
    {
        if (!_slots.TryGetValue(value, out var slot))
        {
            slot = new ValueSlot();
            _slots[value] = slot;
        }

        return slot;
    }

    /// <summary>Marks nodes a transform fused into an earlier layer; the driver skips them.</summary>
    public void Consume(Node node)
    {
        if (_consumed.Add(node))
        {
            _consumedInOrder.Add(node);
        }
    }

    /// <summary>How many nodes have been consumed so far (see <see cref="ConsumedSince"/>).</summary>
    public int ConsumedCount => _consumedInOrder.Count;

    /// <summary>The nodes consumed after <paramref name="count"/> were (e.g. the followers one lowering fused).</summary>
    public IEnumerable<Node> ConsumedSince(int count) => _consumedInOrder.Skip(count);

    /// <summary>
    /// Set by <see cref="RejectInput"/>: the device input (its preprocessing) cannot be realised, which invalidates
    /// every node after it, so lowering stops instead of reporting their consequences.
    /// </summary>
    public bool InputRejected { get; private set; }

    /// <summary>An error about the device input found while lowering <paramref name="node"/>; stops the lowering.</summary>
    public void RejectInput(DiagnosticDescriptor descriptor, Node node, string message)
    {
        Error(descriptor, node, message);
        InputRejected = true;
    }

    public bool IsConsumed(Node node) => _consumed.Contains(node);

    public string NewName(string hint) => $"{hint}#{_counter++}";

    public void Error(DiagnosticDescriptor descriptor, Node node, string message)
    {
        Diagnostics.Add(descriptor.Create($"node '{node.Name}' ({node.OpType}): {message}", Graph.SourcePath, node.Name, node.OpType));
        foreach (var output in node.Outputs)
        {
            Slot(output).Failed = true;
        }
    }

    /// <summary>True when an input of the node already failed (its consumers should not report again).</summary>
    public bool InputsFailed(Node node) => node.Inputs.Any(v => v is not null && _slots.TryGetValue(v, out var s) && s.Failed);

    public T Add<T>(T layer)
        where T : K210Layer
    {
        Model.Layers.Add(layer);
        return layer;
    }

    /// <summary>
    /// (C, H, W) of an IR shape in planar order: [N, C, H, W] with a leading dimension other than 1 folded into C
    /// (row-major, so the bytes are the same), e.g. YuNet's [1076, 2] box scores are 2152 values, not 2.
    /// </summary>
    public static (int C, int H, int W) Chw(Shape shape) => shape.Rank switch
    {
        4 => (shape[0] * shape[1], shape[2], shape[3]),
        3 => (shape[0] * shape[1], shape[2], 1),
        2 => (shape[0] * shape[1], 1, 1),
        1 => (shape[0], 1, 1),
        _ => ((int)shape.ElementCount, 1, 1),
    };

    public K210Tensor NewTensor(string name, K210ElementType type, K210MemoryKind memory, int c, int h, int w) =>
        new(NewName(name), type, memory, c, h, w);

    /// <summary>The value as a uint8 KPU map (uploads main-memory data; realises a pending sample).</summary>
    public K210Tensor? GetKpu(Value value, Node consumer)
    {
        var slot = Slot(value);
        if (slot.Kpu is not null && slot.Sample is null)
        {
            return slot.Kpu;
        }

        var main = GetMainU8(value, consumer);
        if (main is null)
        {
            return null;
        }

        var kpu = NewTensor(value.Name + ".kpu", K210ElementType.UInt8, K210MemoryKind.Kpu, main.Channels, main.Height, main.Width);
        kpu.QuantFrom = main;
        Add(new UploadLayer(consumer.Name, main, kpu));
        slot.Kpu = kpu;
        slot.Sample = null;
        slot.KpuProducer = null;
        return kpu;
    }

    /// <summary>The value as planar uint8 in main memory.</summary>
    public K210Tensor? GetMainU8(Value value, Node consumer)
    {
        var slot = Slot(value);
        if (slot.MainU8 is not null)
        {
            return slot.MainU8;
        }

        if (slot.Bands is { } bands)
        {
            slot.MainU8 = Fusions.ConvByRowBands.Instance.Join(this, bands);
            return slot.MainU8;
        }

        if (slot.Kpu is not null)
        {
            if (slot.KpuProducer is null)
            {
                Error(CompilerDiagnostics.UnsupportedInput, consumer,
                    $"reads the graph input '{value.Name}', which the device delivers only to the first KPU convolution (kmodel v3 has no input in main memory)");
                return null;
            }

            var full = EnsureConvMainOutput(slot.KpuProducer);
            if (slot.Kpu is { } map && map.AliasOf == slot.KpuProducer.Output && map.Channels != full.Channels)
            {
                // The producer wrote the map as its row blocks (RowBlockView): the same planar bytes.
                full = Fusions.RowBlockView.Reshaped(this, full, map.Channels, map.Height, ".map");
            }

            if (slot.Sample is { } s)
            {
                var picked = NewTensor(value.Name + ".pick", K210ElementType.UInt8, K210MemoryKind.Main, full.Channels, s.Height, s.Width);
                picked.QuantFrom = full;
                Add(new QuantizedMaxPoolLayer(consumer.Name, full, picked, (s.RowOffset * full.Width) + s.ColOffset, full.Height, full.Width, 1, s.Stride, 0, 0));
                slot.MainU8 = picked;
                return picked;
            }

            slot.MainU8 = full;
            return full;
        }

        if (slot.Float is { } f)
        {
            var q = NewTensor(value.Name + ".u8", K210ElementType.UInt8, K210MemoryKind.Main, f.Channels, f.Height, f.Width);
            q.RangeSource = value;
            Add(new QuantizeLayer(consumer.Name, f, q));
            slot.MainU8 = q;
            return q;
        }

        if (!slot.Failed)
        {
            Error(CompilerDiagnostics.UnsupportedPattern, consumer, $"input '{value.Name}' has no device representation");
        }

        return null;
    }

    /// <summary>The value as float32 in main memory.</summary>
    public K210Tensor? GetFloat(Value value, Node consumer)
    {
        var slot = Slot(value);
        if (slot.Float is not null)
        {
            return slot.Float;
        }

        var u8 = GetMainU8(value, consumer);
        if (u8 is null)
        {
            return null;
        }

        var f = NewTensor(value.Name + ".f32", K210ElementType.Float32, K210MemoryKind.Main, u8.Channels, u8.Height, u8.Width);
        Add(new DequantizeLayer(consumer.Name, u8, f));
        slot.Float = f;
        return f;
    }

    /// <summary>Turns on KLF_MAIN_MEM_OUT for a conv and returns its planar main-memory copy.</summary>
    public K210Tensor EnsureConvMainOutput(KpuConvLayer conv)
    {
        if (conv.MainOutput is null)
        {
            var o = conv.Output;
            var main = NewTensor(o.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, o.Channels, o.Height, o.Width);
            main.QuantFrom = o;
            main.Sampling = o.Sampling;
            conv.MainOutput = main;
        }

        return conv.MainOutput;
    }

    /// <summary>The value already exists as uint8 (main memory, or a KPU conv's output that can be sent there).</summary>
    public bool IsUInt8(Value value)
    {
        var slot = Slot(value);
        return slot.MainU8 is not null || slot.Bands is not null || slot.KpuProducer is not null;
    }

    /// <summary>The single consumer of a value, or null (several consumers, or a graph output).</summary>
    public Node? SoleConsumer(Value value) =>
        value.Consumers.Count == 1 && !Graph.Outputs.Contains(value) ? value.Consumers[0] : null;
}

/// <summary>Input preprocessing: the device delivers uint8 q per channel; the model expects q·Scale[c] + Offset[c].</summary>
internal sealed record Preprocessing(double[] Scale, double[] Offset, bool SwapRedBlue)
{
    /// <summary>One scale and offset for every channel with a zero point the KPU's arg_w holds exactly (a multiple of
    /// 2^−15, e.g. −127.5 for [−1, 1], within float noise): the map is the device input's quantization. Otherwise
    /// (per-channel maps; a zero point such as MNIST's (x − 0.1307)/0.3081, −33.3285 steps) the first layer applies it
    /// through its weights.</summary>
    public bool IsQuantization
    {
        get
        {
            if (!(Scale.All(v => v == Scale[0]) && Offset.All(v => v == Offset[0])))
            {
                return false;
            }

            const double argW = 1 << 15;
            double b = Offset[0] / Scale[0] * argW;
            return Math.Abs(b - Math.Round(b)) <= InputPreprocessing.ZeroPointNoise * argW;
        }
    }
}
