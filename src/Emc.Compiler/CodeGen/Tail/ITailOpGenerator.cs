using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>
/// Writes one ONNX op of a CPU tail as C99/C# statements (one implementation per op, in <c>Tail/Ops</c>; add one there
/// and list it in <see cref="TailOpGenerators"/> to grow the tail). Shapes are static: loops, strides and offsets are
/// constants computed here, from the parameters the op's inference left on the node.
/// </summary>
internal interface ITailOpGenerator
{
    IReadOnlyList<string> OpTypes { get; }

    /// <summary>Why this node cannot be generated (an attribute or input form not handled), or null.</summary>
    string? Check(Node node, long opset);

    /// <summary>Writes the statements computing the node's outputs from its inputs.</summary>
    void Emit(Node node, long opset, TailEmitter e);
}
