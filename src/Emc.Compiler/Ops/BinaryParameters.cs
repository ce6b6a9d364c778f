using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>A resolved broadcasting binary node: the operation and the operand shapes as numpy-broadcast shapes
/// (opset-6 axis broadcasting is rewritten into trailing unit dimensions).</summary>
internal sealed record BinaryParameters(BinaryOperation Operation, int[] AShape, int[] BShape, int[] YShape);
