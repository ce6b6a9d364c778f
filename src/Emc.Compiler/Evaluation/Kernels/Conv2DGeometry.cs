namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Everything a 2-D convolution kernel needs to know about its shapes (NCHW, OIHW weights).</summary>
internal readonly record struct Conv2DGeometry(
    int Batch,
    int InputChannels,
    int InputHeight,
    int InputWidth,
    int OutputChannels,
    int OutputHeight,
    int OutputWidth,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PadTop,
    int PadLeft,
    int DilationHeight,
    int DilationWidth,
    int Group)
{
    public int InputChannelsPerGroup => InputChannels / Group;

    public int OutputChannelsPerGroup => OutputChannels / Group;

    /// <summary>Reduction length of one output value: Cin/group × kh × kw.</summary>
    public int ReductionLength => InputChannelsPerGroup * KernelHeight * KernelWidth;

    public int OutputPlane => OutputHeight * OutputWidth;

    public int InputPlane => InputHeight * InputWidth;

    /// <summary>A 1×1 kernel with unit strides and no padding reads the input as the GEMM's B matrix directly.</summary>
    public bool IsPointwise =>
        KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 && PadTop == 0 && PadLeft == 0
        && OutputHeight == InputHeight && OutputWidth == InputWidth;

    /// <summary>One input channel per group and one output channel per group (channel multiplier 1).</summary>
    public bool IsDepthwise => Group > 1 && Group == InputChannels && Group == OutputChannels;
}
