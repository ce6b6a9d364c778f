using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Graph;

/// <summary>
/// QUANTIZED_MAX_POOL2D used both as a max pool and as an exact pixel pick/crop: the input is read from
/// <see cref="InputOffset"/> bytes past the tensor start with rows of <see cref="InputWidth"/> and planes of
/// <see cref="InputHeight"/>·<see cref="InputWidth"/> (spec §4.1; no rescaling: output shares the input's quantization).
/// </summary>
internal sealed class QuantizedMaxPoolLayer(string name, K210Tensor input, K210Tensor output, int inputOffset, int inputHeight, int inputWidth,
    int kernel, int stride, int padH, int padW) : K210Layer(name, [input], output)
{
    public int InputOffset { get; } = inputOffset;

    public int InputHeight { get; } = inputHeight;

    public int InputWidth { get; } = inputWidth;

    public int Kernel { get; } = kernel;

    public int Stride { get; } = stride;

    /// <summary>Kernel width when it differs from <see cref="Kernel"/> (height).</summary>
    public int KernelW { get; init; } = kernel;

    public int StrideW { get; init; } = stride;

    public int PadH { get; } = padH;

    public int PadW { get; } = padW;

    public override string Kind => Kernel == 1 ? "pick (u8 max pool 1x1)" : "u8 max pool";

    internal override LayerBody ToBody()
    {
        var i = Inputs[0];
        var o = Output;
        return new QuantizedMaxPool2DBody(At(i) + (uint)InputOffset, At(o), new PoolWindow(
            (uint)InputWidth, (uint)InputHeight, (uint)i.Channels, (uint)o.Width, (uint)o.Height, (uint)o.Channels,
            (uint)KernelW, (uint)Kernel, (uint)StrideW, (uint)Stride, (uint)PadW, (uint)PadH));
    }
}

/// <summary>K210_UPLOAD: planar main-memory uint8 → KPU RAM layout.</summary>
internal sealed class UploadLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "upload";

    internal override LayerBody ToBody() =>
        new K210UploadBody(At(Inputs[0]), At(Output), (uint)Output.Width, (uint)Output.Height, (uint)Output.Channels);
}

/// <summary>QUANTIZE: float32 → uint8 with the output tensor's quantization.</summary>
internal sealed class QuantizeLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "quantize";

    internal override LayerBody ToBody()
    {
        var q = Output.Quant!.Value;
        return new QuantizeBody(At(Inputs[0]), At(Output), Count(Output), q.StoredScale, q.StoredBias);
    }
}

/// <summary>DEQUANTIZE: uint8 → float32 with the input tensor's quantization; CHANNELWISE_DEQUANTIZE when the input is
/// quantized per channel.</summary>
internal sealed class DequantizeLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => Inputs[0].ChannelQuant is null ? "dequantize" : "channelwise dequantize";

    internal override LayerBody ToBody()
    {
        var input = Inputs[0];
        if (input.ChannelQuant is { } channels)
        {
            return new ChannelwiseDequantizeBody(At(input), At(Output), (uint)(input.Height * input.Width),
                [.. channels.Select(q => (q.StoredScale, q.StoredBias))]);
        }

        var p = input.Quant!.Value;
        return new DequantizeBody(At(input), At(Output), Count(Output), p.StoredScale, p.StoredBias);
    }
}

/// <summary>FULLY_CONNECTED (float): weights [out][in], bias, activation 0 linear / 1 ReLU / 2 ReLU6.</summary>
internal sealed class FullyConnectedLayer(string name, K210Tensor input, K210Tensor output, float[] weights, float[] bias, int activation)
    : K210Layer(name, [input], output)
{
    public float[] Weights { get; } = weights;

    public float[] Bias { get; } = bias;

    public int Activation { get; set; } = activation;

    public override string Kind => "fully connected";

    public override long Macs => Weights.LongLength;

    internal override LayerBody ToBody() =>
        new FullyConnectedBody(At(Inputs[0]), At(Output), Count(Inputs[0]), Count(Output), (uint)Activation, Weights, Bias);
}

/// <summary>GLOBAL_AVERAGE_POOL2D (float).</summary>
internal sealed class GlobalAveragePoolLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "global avg pool";

    public override long Macs => Inputs[0].ElementCount;

    internal override LayerBody ToBody()
    {
        var i = Inputs[0];
        return new GlobalAveragePool2DBody(At(i), At(Output), (uint)(i.Height * i.Width), (uint)i.Channels);
    }
}

/// <summary>AVERAGE_POOL2D (float; divisor = valid taps, i.e. count_include_pad = 0).</summary>
internal sealed class AveragePoolLayer(string name, K210Tensor input, K210Tensor output, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW)
    : K210Layer(name, [input], output)
{
    public int KernelH { get; } = kernelH;

    public int KernelW { get; } = kernelW;

    public int StrideH { get; } = strideH;

    public int StrideW { get; } = strideW;

    public int PadH { get; } = padH;

    public int PadW { get; } = padW;

    public override string Kind => "avg pool";

    internal override LayerBody ToBody()
    {
        var i = Inputs[0];
        var o = Output;
        return new Pool2DBody(KmodelLayerType.AveragePool2D, At(i), At(o), new PoolWindow(
            (uint)i.Width, (uint)i.Height, (uint)i.Channels, (uint)o.Width, (uint)o.Height, (uint)o.Channels,
            (uint)KernelW, (uint)KernelH, (uint)StrideW, (uint)StrideH, (uint)PadW, (uint)PadH), 0);
    }
}

/// <summary>SOFTMAX (float) over all channels.</summary>
internal sealed class SoftmaxLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "softmax";

    internal override LayerBody ToBody() => new SoftmaxBody(At(Inputs[0]), At(Output), Count(Output));
}

/// <summary>LOGISTIC (float).</summary>
internal sealed class LogisticLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "logistic";

    internal override LayerBody ToBody() => new LogisticBody(At(Inputs[0]), At(Output), Count(Output));
}

/// <summary>ADD (float32, equal shapes).</summary>
internal sealed class AddLayer(string name, K210Tensor a, K210Tensor b, K210Tensor output) : K210Layer(name, [a, b], output)
{
    public override string Kind => "add";

    internal override LayerBody ToBody() => new AddBody(At(Inputs[0]), At(Inputs[1]), At(Output), Count(Output));
}

/// <summary>QUANTIZED_ADD (uint8, equal shapes).</summary>
/// <remarks>With <paramref name="subtract"/>, a − b: the same layer with b's multiplier negated (the multipliers are
/// signed 32-bit, spec §4.1), so the difference is as exact as the sum.</remarks>
internal sealed class QuantizedAddLayer(string name, K210Tensor a, K210Tensor b, K210Tensor output, bool subtract = false) : K210Layer(name, [a, b], output)
{
    public override string Kind => subtract ? "u8 sub" : "u8 add";

    public bool Subtract => subtract;

    internal override LayerBody ToBody()
    {
        K210Tensor a = Inputs[0], b = Inputs[1], o = Output;
        var p = QuantizedAddParameters.Derive(a.Quant!.Value, b.Quant!.Value, o.Quant!.Value, subtract);
        return new QuantizedAddBody(At(a), At(b), At(o), Count(o), p.AOffset, p.AMul, 0, p.BOffset, p.BMul, 0, p.OutOffset, p.OutMul, p.OutShift);
    }
}

/// <summary>CONCAT / QUANTIZED_CONCAT of planar tensors along channels (byte copy).</summary>
internal sealed class ConcatLayer(string name, IReadOnlyList<K210Tensor> inputs, K210Tensor output) : K210Layer(name, inputs, output)
{
    public override string Kind => Output.Type == K210ElementType.UInt8 ? "u8 concat" : "concat";

    internal override LayerBody ToBody() => new ConcatBody(
        Output.Type == K210ElementType.UInt8 ? KmodelLayerType.QuantizedConcat : KmodelLayerType.Concat,
        At(Output),
        Inputs.Select(t => (At(t), (uint)t.Bytes)).ToList());
}

/// <summary>RESIZE_NEAREST_NEIGHBOR (float) or its uint8 form.</summary>
internal sealed class ResizeNearestLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => Output.Type == K210ElementType.UInt8 ? "u8 resize nearest" : "resize nearest";

    internal override LayerBody ToBody()
    {
        var i = Inputs[0];
        var o = Output;
        return new ResizeNearestNeighborBody(
            o.Type == K210ElementType.UInt8 ? KmodelLayerType.QuantizedResizeNearestNeighbor : KmodelLayerType.ResizeNearestNeighbor,
            At(i), At(o), (uint)i.Width, (uint)i.Height, (uint)i.Channels, (uint)o.Width, (uint)o.Height, 0);
    }
}

