namespace Emc.Kmodel;

/// <summary>
/// CONCAT (16) or QUANTIZED_CONCAT (17): copies each (start, size) byte range consecutively to
/// <see cref="Out"/>. 12 + 8·inputs bytes.
/// </summary>
public sealed record ConcatBody(KmodelLayerType LayerType, uint Out, IReadOnlyList<(uint Start, uint Size)> Inputs) : LayerBody
{
    public const int FixedSize = 12;

    public override KmodelLayerType Type => LayerType;
}

/// <summary>TENSORFLOW_FLATTEN (20, float32) or QUANTIZED_TENSORFLOW_FLATTEN (21, uint8): CHW → HWC. 24 bytes.</summary>
public sealed record TensorflowFlattenBody(KmodelLayerType LayerType, uint In, uint Out, uint Width, uint Height, uint Channels)
    : LayerBody
{
    public const int LayoutSize = 24;

    public override KmodelLayerType Type => LayerType;
}

/// <summary>RESIZE_NEAREST_NEIGHBOR (22, float32) or its quantized form (23, uint8). 36 bytes.</summary>
public sealed record ResizeNearestNeighborBody(
    KmodelLayerType LayerType,
    uint In,
    uint Out,
    uint InWidth,
    uint InHeight,
    uint InChannels,
    uint OutWidth,
    uint OutHeight,
    uint AlignCorners) : LayerBody
{
    public const int LayoutSize = 36;

    public override KmodelLayerType Type => LayerType;
}
