namespace Emc.Compiler.Compilation;

/// <summary>Element type of a kmodel input or output as the firmware sees it.</summary>
public enum InterfaceElementType
{
    UInt8,
    Float32,
}

/// <summary>
/// One input or output of a compiled model as the firmware sees it: its shape (batch 1), element type, for uint8
/// data the affine map real = q·Scale + Bias, the order of the data the firmware passes or gets
/// (<paramref name="Layout"/>: "NCHW planar" for the device input, the ONNX order for outputs) and the layout the
/// ONNX model declares for it (<paramref name="ModelLayout"/>, e.g. "NHWC" for a Keras input whose transpose the
/// compiler folded into the planar device input). Generated C headers and C# wrappers expose these; an empty layout
/// is unknown (design-time wrappers).
/// </summary>
public sealed record TensorInterface(
    string Name,
    IReadOnlyList<int> Shape,
    InterfaceElementType ElementType,
    float Scale,
    float Bias,
    string Layout = "",
    string ModelLayout = "");

/// <summary>The contract between a compiled kmodel and the code that calls it.</summary>
public sealed record ModelInterface(IReadOnlyList<TensorInterface> Inputs, IReadOnlyList<TensorInterface> Outputs);
