using Emc.Compiler.K210.Graph;
using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Emission;

/// <summary>Bodies of the quantized CPU layers and the 4×4 padding layers (spec §4.1, §7.7).</summary>
internal static class CpuLayerEncoder
{
    public static LayerBody? TryEncode(K210Layer layer)
    {
        var i = layer.Inputs[0];
        var o = layer.Output;
        switch (layer)
        {
            case QuantizedAddLayer:
                {
                    var b = layer.Inputs[1];
                    var p = QuantizedAddParameters.Derive(i.Quant!.Value, b.Quant!.Value, o.Quant!.Value);
                    return new QuantizedAddBody(A(i), A(b), A(o), N(o), p.AOffset, p.AMul, 0, p.BOffset, p.BMul, 0, p.OutOffset, p.OutMul, p.OutShift);
                }

            case RequantizeLayer:
                return new RequantizeBody(A(i), A(o), N(o), QuantizedAddParameters.RequantizeTable(i.Quant!.Value, o.Quant!.Value));
            case ResizeNearestLayer:
                return new ResizeNearestNeighborBody(
                    o.Type == K210ElementType.UInt8 ? KmodelLayerType.QuantizedResizeNearestNeighbor : KmodelLayerType.ResizeNearestNeighbor,
                    A(i), A(o), (uint)i.Width, (uint)i.Height, (uint)i.Channels, (uint)o.Width, (uint)o.Height, 0);
            case AddPaddingLayer:
                return new K210AddPaddingBody(A(i), A(o), (uint)i.Channels);
            case RemovePaddingLayer:
                return new K210RemovePaddingBody(A(i), A(o), (uint)o.Channels);
            default:
                return null;
        }
    }

    private static uint A(K210Tensor t) => (uint)t.Address;

    private static uint N(K210Tensor t) => (uint)t.ElementCount;
}
