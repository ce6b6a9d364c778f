namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>The element-wise binary operations <see cref="Broadcasting"/> computes.</summary>
internal enum BinaryOperation
{
    Add,
    Subtract,
    Multiply,
    Divide,

    /// <summary>y = a &lt; 0 ? a·b : a (float only).</summary>
    PRelu,
}
