namespace Emc.Kmodel;

/// <summary>QUANTIZE (11): float32 → uint8, <c>real = q·scale + bias</c>. 24 bytes.</summary>
public sealed record QuantizeBody(uint In, uint Out, uint Count, float Scale, float Bias) : LayerBody
{
    public const int LayoutSize = 24;

    public override KmodelLayerType Type => KmodelLayerType.Quantize;
}

/// <summary>DEQUANTIZE (12): uint8 → float32, <c>x = q·scale + bias</c>. 24 bytes.</summary>
public sealed record DequantizeBody(uint In, uint Out, uint Count, float Scale, float Bias) : LayerBody
{
    public const int LayoutSize = 24;

    public override KmodelLayerType Type => KmodelLayerType.Dequantize;
}

/// <summary>REQUANTIZE (13): uint8 → uint8 through a 256-entry table. 272 bytes.</summary>
public sealed record RequantizeBody(uint In, uint Out, uint Count, byte[] Table) : LayerBody
{
    public const int LayoutSize = 272;
    public const int TableLength = 256;

    public override KmodelLayerType Type => KmodelLayerType.Requantize;
}

/// <summary>
/// CHANNELWISE_DEQUANTIZE (24): <c>out = q·scale_c + bias_c</c> for the <see cref="ChannelSize"/> values
/// of channel c. 20 + 8·channels bytes; <c>channels</c> is <see cref="Parameters"/>.Count.
/// </summary>
public sealed record ChannelwiseDequantizeBody(uint In, uint Out, uint ChannelSize, IReadOnlyList<(float Scale, float Bias)> Parameters)
    : LayerBody
{
    public const int FixedSize = 20;

    public override KmodelLayerType Type => KmodelLayerType.ChannelwiseDequantize;

    public uint Channels => (uint)Parameters.Count;
}
