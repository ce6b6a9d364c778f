namespace Emc.Compiler.Compilation;

/// <summary>Channel order of the device input planes (images are decoded as RGB).</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}

/// <summary>How activation ranges are chosen from calibration statistics.</summary>
public enum CalibrationMethod
{
    /// <summary>The measured best on our accuracy tests (see the compiler's documentation).</summary>
    Default,
    MinMax,
    Percentile,
    Mse,
    Kld,

    /// <summary>The range that minimises the quantization error as the tensor's readers see it: the squared error of
    /// each channel weighted by how much the convs reading it amplify it (<c>Quantization/ChannelImportance</c>).</summary>
    Consumer,
}

/// <summary>How many quantization scales an activation tensor gets.</summary>
public enum ActivationRanges
{
    /// <summary>One range per tensor: robust when the calibration data differ from what the model will see.</summary>
    PerTensor,

    /// <summary>A scale per channel (around one zero point) wherever every reader can take it; finer, but each channel's
    /// range is only as good as the calibration data are representative (docs/accuracy.md).</summary>
    PerChannel,
}

/// <summary>How KPU conv weights are rounded to their integer codes.</summary>
public enum WeightRounding
{
    /// <summary>Each weight to the nearest code.</summary>
    Nearest,

    /// <summary>One weight at a time, each one's rounding error fed back onto the channel's later weights through the
    /// calibration inputs' correlations (GPTQ-style), so the conv's output error is minimised rather than the weights'.</summary>
    ErrorFeedback,
}

/// <summary>Everything that changes the compiled kmodel. Equal options + equal inputs → identical bytes.</summary>
public sealed record CompileOptions
{
    /// <summary>Calibration inputs: folders (searched for images, .npy and .pb files) or files.</summary>
    public IReadOnlyList<string> Dataset { get; init; } = [];

    /// <summary>Real-valued range the uint8 device input 0..255 maps to, e.g. (0, 1) or (-1, 1).
    /// Mutually exclusive with <see cref="Mean"/>/<see cref="Std"/>. Neither → (0, 1).</summary>
    public (float Low, float High)? InputRange { get; init; }

    /// <summary>Per-channel (or one shared) mean, applied as (pixel/255 − mean)/std.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    public IReadOnlyList<float>? Std { get; init; }

    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Output plane above which a stride-1 conv is tiled into row bands (<c>conv-by-row-bands</c>): the KPU's
    /// 65536-pixel limit. Tests set it lower to compare banded layers with the one layer they replace.</summary>
    internal int RowBandPlane { get; init; } = K210.Lowering.Steps.CheckKpuLimits.MaxMainOutputPlane;

    /// <summary>KPU weight width: 8 (default) or 16.</summary>
    public int WeightBits { get; init; } = 8;

    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.Default;

    public ActivationRanges ActivationRanges { get; init; } = ActivationRanges.PerTensor;

    /// <summary>How KPU conv weights are rounded; error feedback is not the default because it loses on some models of the
    /// real-zoo yardstick (docs/accuracy.md).</summary>
    public WeightRounding WeightRounding { get; init; } = WeightRounding.Nearest;

    /// <summary>KPU multiply-adds (percent of the model's) that may be spent on carrying bounded ReLU outputs (ReLU6) in two
    /// uint8 pieces each, from the input on (<c>Quantization/FineActivations</c>); 0 (default): none.</summary>
    public int FineActivationsPercent { get; init; }

    /// <summary>Where Gemm/MatMul run: CPU float FULLY_CONNECTED or the KPU 4×4 padding trick.</summary>
    public FullyConnectedTarget FullyConnected { get; init; } = FullyConnectedTarget.Default;

    /// <summary>At most this many calibration samples are used (sorted by path; deterministic).</summary>
    public int MaxCalibrationSamples { get; init; } = 256;

    /// <summary>Static shapes for graph inputs with dynamic dimensions, by input name ("" = the only input).</summary>
    public IReadOnlyDictionary<string, int[]>? InputShapes { get; init; }

    /// <summary>Tensors to compile up to (they become the kmodel's outputs, in this order); null: the graph outputs.</summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <summary>When only a tail of the graph cannot run on the device, compile up to where it starts (the outputs
    /// EMC0521 names) instead of failing; the host runs the tail.</summary>
    public bool AutoTail { get; init; }

    /// <summary>The K210's general-purpose SRAM: 6 MiB (the other 2 MiB are the KPU's).</summary>
    public const long K210DeviceMemoryBytes = 6L << 20;

    /// <summary>
    /// SRAM the kmodel (loaded whole by the runtime) plus its main memory (main_mem_usage) must fit in; EMC0510
    /// otherwise. Default: the K210's 6 MiB. Raise it for a board or firmware that places the model elsewhere;
    /// 0 disables the check.
    /// </summary>
    public long DeviceMemoryBytes { get; init; } = K210DeviceMemoryBytes;
}
