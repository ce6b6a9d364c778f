using Emc.Compiler.K210.Emission;
using Emc.Compiler.K210.Kpu;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Graph;

/// <summary>KPU pool types (spec §5.6) the compiler emits.</summary>
internal enum KpuPoolType
{
    Bypass = 0,
    Max2S2 = 1,
    Mean2S2 = 2,
    Max4S4 = 3,
    Mean4S4 = 4,
    LeftTop2S2 = 5,
    RightTop2S2 = 6,
}

/// <summary>
/// A K210_CONV: stride-1 "same" convolution (3×3 with pad_value borders, or 1×1) over the KPU input, fused
/// batch-norm/bias, activation table and pool. <see cref="InputRowShift"/> reads the input one row lower
/// (image_src_addr + row_len), used with <see cref="KpuPoolType.RightTop2S2"/> to pick odd coordinates.
/// </summary>
internal sealed class KpuConvLayer : K210Layer
{
    public KpuConvLayer(string name, K210Tensor input, K210Tensor output, KpuConvWeights weights, KpuActivationFunction activation, KpuPoolType pool)
        : base(name, [input], output)
    {
        Weights = weights;
        Activation = activation;
        Pool = pool;
    }

    public KpuConvWeights Weights { get; }

    public KpuActivationFunction Activation { get; }

    public KpuPoolType Pool { get; set; }

    public bool InputRowShift { get; set; }

    /// <summary>The IR value the conv reads, in the real units of its input quantization (null when the input is
    /// the device input under per-channel preprocessing). Its per-channel calibration means drive bias correction.</summary>
    public Ir.Value? InputValue { get; set; }

    /// <summary>For one part of a conv split over output-channel ranges (<c>SplitKpuConv</c>), which has no
    /// <see cref="InputValue"/>: the IR value the whole conv reads and, for a depthwise part, the first of its channels
    /// there.</summary>
    public (Ir.Value Value, int FirstChannel)? PartOf { get; set; }

    /// <summary>The IR value whose channels this conv's input channels are, from which channel: <see cref="InputValue"/>
    /// from 0, or a part's <see cref="PartOf"/>; null for neither. Bias correction and weight rounding take their
    /// statistics from it.</summary>
    public (Ir.Value? Value, int FirstChannel) InputOrigin =>
        InputValue is { } whole ? (whole, 0) : PartOf is { } part ? (part.Value, part.FirstChannel) : (null, 0);

    /// <summary>For an input that stacks copies of <see cref="InputValue"/>'s channels: the channel each input channel
    /// copies (−1: a zero filler), so bias correction sees the right means.</summary>
    public int[]? InputChannelSources { get; set; }

    /// <summary>The planar uint8 copy in main memory (KLF_MAIN_MEM_OUT), when a CPU layer reads the result.</summary>
    public K210Tensor? MainOutput { get; set; }

    /// <summary>Set by quantization.</summary>
    public KpuConvQuantization? Parameters { get; set; }

    public override IEnumerable<K210Tensor> ExtraOutputs => MainOutput is null ? [] : [MainOutput];

    public override string Kind => Weights.Depthwise ? "KPU dw conv" : "KPU conv";

    public override bool OnKpu => true;

    public override long Macs => (long)Inputs[0].Height * Inputs[0].Width * Weights.OutChannels * Weights.WeightsPerOutput;

    internal override LayerBody ToBody() => KpuConvEncoder.Encode(this);
}
