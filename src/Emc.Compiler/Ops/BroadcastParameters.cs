namespace Emc.Compiler.Ops;

/// <summary>Parameters of a broadcasting node: per input, the element each output position reads.</summary>
internal sealed record BroadcastParameters(int[][] Offsets);
