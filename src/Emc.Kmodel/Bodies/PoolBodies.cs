namespace Emc.Kmodel;

/// <summary>The twelve window fields shared by the 2-D pool bodies (spec §4.1), in file order.</summary>
public readonly record struct PoolWindow(
    uint InWidth,
    uint InHeight,
    uint InChannels,
    uint OutWidth,
    uint OutHeight,
    uint OutChannels,
    uint KernelWidth,
    uint KernelHeight,
    uint StrideWidth,
    uint StrideHeight,
    uint PadWidth,
    uint PadHeight);

/// <summary>GLOBAL_AVERAGE_POOL2D (5): float32 mean of each channel's <see cref="KernelSize"/> values. 20 bytes.</summary>
public sealed record GlobalAveragePool2DBody(uint In, uint Out, uint KernelSize, uint Channels) : LayerBody
{
    public const int LayoutSize = 20;

    public override KmodelLayerType Type => KmodelLayerType.GlobalAveragePool2D;
}

/// <summary>QUANTIZED_MAX_POOL2D (8): uint8 max pool. 60 bytes.</summary>
public sealed record QuantizedMaxPool2DBody(uint In, uint Out, PoolWindow Window) : LayerBody
{
    public const int LayoutSize = 60;

    public override KmodelLayerType Type => KmodelLayerType.QuantizedMaxPool2D;
}

/// <summary>
/// MAX_POOL2D (7) or AVERAGE_POOL2D (9): float32 pool, the window fields plus <c>activation</c>. 64 bytes.
/// The stock SDK only runs type 9.
/// </summary>
public sealed record Pool2DBody(KmodelLayerType LayerType, uint In, uint Out, PoolWindow Window, uint Activation) : LayerBody
{
    public const int LayoutSize = 64;

    public override KmodelLayerType Type => LayerType;
}
