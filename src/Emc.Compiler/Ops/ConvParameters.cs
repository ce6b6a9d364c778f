using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>A resolved 2-D convolution: kernel geometry (with top/left pads) and the bottom/right pads.</summary>
internal sealed record ConvParameters(Conv2DGeometry Geometry, int PadBottom, int PadRight, bool HasBias);
