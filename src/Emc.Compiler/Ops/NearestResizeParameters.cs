namespace Emc.Compiler.Ops;

/// <summary>Parameters of a nearest-neighbour Resize/Upsample node: for each axis, the input index each output
/// index reads, and the modes (as resolved for the node's opset) that produced the maps.</summary>
internal sealed record NearestResizeParameters(int[][] SourceIndex, string CoordinateMode, string NearestMode);
