namespace Emc.Compiler.Compilation;

/// <summary>Element type of a kmodel input or output as the firmware sees it.</summary>
public enum InterfaceElementType
{
    UInt8,
    Float32,
}

/// <summary>
/// One input or output of a compiled model as the firmware sees it: its shape (NCHW, batch 1), element type
/// and, for uint8 data, the affine map real = q·Scale + Bias. Generated C headers and C# wrappers expose these.
/// </summary>
public sealed record TensorInterface(
    string Name,
    IReadOnlyList<int> Shape,
    InterfaceElementType ElementType,
    float Scale,
    float Bias);

/// <summary>The contract between a compiled kmodel and the code that calls it.</summary>
public sealed record ModelInterface(IReadOnlyList<TensorInterface> Inputs, IReadOnlyList<TensorInterface> Outputs);
