namespace Emc.Kmodel;

/// <summary>ADD (1): <c>out[i] = in_a[i] + in_b[i]</c> over <see cref="Count"/> float32 values. 20 bytes.</summary>
public sealed record AddBody(uint InA, uint InB, uint Out, uint Count) : LayerBody
{
    public const int LayoutSize = 20;

    public override KmodelLayerType Type => KmodelLayerType.Add;
}

/// <summary>QUANTIZED_ADD (2): uint8 add with offsets, multipliers and shifts (spec §4.1). 56 bytes.</summary>
public sealed record QuantizedAddBody(
    uint InA,
    uint InB,
    uint Out,
    uint Count,
    int AOffset,
    int AMul,
    int AShift,
    int BOffset,
    int BMul,
    int BShift,
    int OutOffset,
    int OutMul,
    int OutShift) : LayerBody
{
    public const int LayoutSize = 56;

    public override KmodelLayerType Type => KmodelLayerType.QuantizedAdd;
}

/// <summary>L2_NORMALIZATION (14): float32 over <see cref="Channels"/> values. 16 bytes.</summary>
public sealed record L2NormalizationBody(uint In, uint Out, uint Channels) : LayerBody
{
    public const int LayoutSize = 16;

    public override KmodelLayerType Type => KmodelLayerType.L2Normalization;
}

/// <summary>SOFTMAX (15): float32 over <see cref="Channels"/> values. 16 bytes.</summary>
public sealed record SoftmaxBody(uint In, uint Out, uint Channels) : LayerBody
{
    public const int LayoutSize = 16;

    public override KmodelLayerType Type => KmodelLayerType.Softmax;
}

/// <summary>LOGISTIC (25): float32 sigmoid over <see cref="Channels"/> values. 16 bytes.</summary>
public sealed record LogisticBody(uint In, uint Out, uint Channels) : LayerBody
{
    public const int LayoutSize = 16;

    public override KmodelLayerType Type => KmodelLayerType.Logistic;
}
