namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Shapes of a 2-D pooling window over NCHW planes. Padding beyond the input (also the extra right/bottom
/// reach of ceil mode) is never read; <see cref="PadBottom"/>/<see cref="PadRight"/> only count for count_include_pad.</summary>
internal readonly record struct Pool2DGeometry(
    int Planes,
    int InputHeight,
    int InputWidth,
    int OutputHeight,
    int OutputWidth,
    int KernelHeight,
    int KernelWidth,
    int StrideHeight,
    int StrideWidth,
    int PadTop,
    int PadLeft,
    int PadBottom,
    int PadRight,
    int DilationHeight,
    int DilationWidth);
