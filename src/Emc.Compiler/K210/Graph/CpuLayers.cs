using Emc.Compiler.K210.Kpu;

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
}

/// <summary>K210_UPLOAD: planar main-memory uint8 → KPU RAM layout.</summary>
internal sealed class UploadLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "upload";
}

/// <summary>QUANTIZE: float32 → uint8 with the output tensor's quantization.</summary>
internal sealed class QuantizeLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "quantize";
}

/// <summary>DEQUANTIZE: uint8 → float32 with the input tensor's quantization.</summary>
internal sealed class DequantizeLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "dequantize";
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
}

/// <summary>GLOBAL_AVERAGE_POOL2D (float).</summary>
internal sealed class GlobalAveragePoolLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "global avg pool";

    public override long Macs => Inputs[0].ElementCount;
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
}

/// <summary>SOFTMAX (float) over all channels.</summary>
internal sealed class SoftmaxLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "softmax";
}

/// <summary>LOGISTIC (float).</summary>
internal sealed class LogisticLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "logistic";
}

/// <summary>ADD (float32, equal shapes).</summary>
internal sealed class AddLayer(string name, K210Tensor a, K210Tensor b, K210Tensor output) : K210Layer(name, [a, b], output)
{
    public override string Kind => "add";
}

/// <summary>QUANTIZED_ADD (uint8, equal shapes).</summary>
internal sealed class QuantizedAddLayer(string name, K210Tensor a, K210Tensor b, K210Tensor output) : K210Layer(name, [a, b], output)
{
    public override string Kind => "u8 add";
}

/// <summary>CONCAT / QUANTIZED_CONCAT of planar tensors along channels (byte copy).</summary>
internal sealed class ConcatLayer(string name, IReadOnlyList<K210Tensor> inputs, K210Tensor output) : K210Layer(name, inputs, output)
{
    public override string Kind => Output.Type == K210ElementType.UInt8 ? "u8 concat" : "concat";
}

/// <summary>RESIZE_NEAREST_NEIGHBOR (float) or its uint8 form.</summary>
internal sealed class ResizeNearestLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => Output.Type == K210ElementType.UInt8 ? "u8 resize nearest" : "resize nearest";
}

