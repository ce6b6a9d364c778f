using Emc.Kmodel;

namespace Emc.Compiler.K210.Graph;

/// <summary>
/// TENSORFLOW_FLATTEN (float32) or QUANTIZED_TENSORFLOW_FLATTEN (uint8, shares the input's quantization): reorders a
/// planar <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> block to HWC — out[(y·W + x)·C + c] =
/// in[(c·H + y)·W + x] (spec §4.1). Any transpose that swaps two blocks of axes is this reorder with C = the leading
/// block and H·W = the trailing one.
/// </summary>
internal sealed class TensorflowFlattenLayer(string name, K210Tensor input, K210Tensor output, int channels, int height, int width)
    : K210Layer(name, [input], output)
{
    public int Channels { get; } = channels;

    public int Height { get; } = height;

    public int Width { get; } = width;

    public override string Kind => Output.Type == K210ElementType.UInt8 ? "u8 tf flatten (CHW→HWC)" : "tf flatten (CHW→HWC)";

    internal override LayerBody ToBody() => new TensorflowFlattenBody(
        Output.Type == K210ElementType.UInt8 ? KmodelLayerType.QuantizedTensorflowFlatten : KmodelLayerType.TensorflowFlatten,
        At(Inputs[0]), At(Output), (uint)Width, (uint)Height, (uint)Channels);
}
