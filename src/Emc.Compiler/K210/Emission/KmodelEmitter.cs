using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Memory;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Emission;

/// <summary>Turns a quantized, memory-planned lowered model into kmodel v3 records.</summary>
internal static class KmodelEmitter
{
    public static KmodelFile Emit(K210Model model, MemoryPlan plan, int weightBits)
    {
        var bodies = new List<LayerBody>(model.Layers.Count);
        foreach (var layer in model.Layers)
        {
            bodies.Add(Body(layer));
        }

        uint flags = weightBits == 8 ? 1u : 0u;
        var header = new KmodelHeader(KmodelHeader.Version3, flags, 0, (uint)plan.LowestKpuUnit, (uint)Math.Max(8, plan.MainMemoryUsage));
        var outputs = model.Outputs.Select(o => new KmodelOutput((uint)o.Tensor.Address, (uint)o.Tensor.Bytes)).ToList();
        return KmodelBuilder.Build(header, outputs, bodies);
    }

    private static uint A(K210Tensor t) => (uint)t.Address;

    private static uint N(K210Tensor t) => (uint)t.ElementCount;

    private static LayerBody Body(K210Layer layer)
    {
        var i = layer.Inputs[0];
        var o = layer.Output;
        switch (layer)
        {
            case KpuConvLayer conv:
                return KpuConvEncoder.Encode(conv);
            case UploadLayer:
                return new K210UploadBody(A(i), A(o), (uint)o.Width, (uint)o.Height, (uint)o.Channels);
            case QuantizeLayer:
                {
                    var q = o.Quant!.Value;
                    return new QuantizeBody(A(i), A(o), N(o), q.StoredScale, q.StoredBias);
                }

            case DequantizeLayer:
                {
                    var q = i.Quant!.Value;
                    return new DequantizeBody(A(i), A(o), N(o), q.StoredScale, q.StoredBias);
                }

            case QuantizedMaxPoolLayer mp:
                return new QuantizedMaxPool2DBody(A(i) + (uint)mp.InputOffset, A(o), new PoolWindow(
                    (uint)mp.InputWidth, (uint)mp.InputHeight, (uint)i.Channels, (uint)o.Width, (uint)o.Height, (uint)o.Channels,
                    (uint)mp.KernelW, (uint)mp.Kernel, (uint)mp.StrideW, (uint)mp.Stride, (uint)mp.PadW, (uint)mp.PadH));
            case FullyConnectedLayer fc:
                return new FullyConnectedBody(A(i), A(o), N(i), N(o), (uint)fc.Activation, fc.Weights, fc.Bias);
            case GlobalAveragePoolLayer:
                return new GlobalAveragePool2DBody(A(i), A(o), (uint)(i.Height * i.Width), (uint)i.Channels);
            case AveragePoolLayer ap:
                return new Pool2DBody(KmodelLayerType.AveragePool2D, A(i), A(o), new PoolWindow(
                    (uint)i.Width, (uint)i.Height, (uint)i.Channels, (uint)o.Width, (uint)o.Height, (uint)o.Channels,
                    (uint)ap.KernelW, (uint)ap.KernelH, (uint)ap.StrideW, (uint)ap.StrideH, (uint)ap.PadW, (uint)ap.PadH), 0);
            case SoftmaxLayer:
                return new SoftmaxBody(A(i), A(o), N(o));
            case LogisticLayer:
                return new LogisticBody(A(i), A(o), N(o));
            case AddLayer:
                return new AddBody(A(i), A(layer.Inputs[1]), A(o), N(o));
            case ConcatLayer c:
                return new ConcatBody(
                    o.Type == K210ElementType.UInt8 ? KmodelLayerType.QuantizedConcat : KmodelLayerType.Concat,
                    A(o),
                    c.Inputs.Select(t => (A(t), (uint)t.Bytes)).ToList());
            default:
                return CpuLayerEncoder.TryEncode(layer) ?? throw new NotSupportedException($"no emitter for {layer}");
        }
    }
}
