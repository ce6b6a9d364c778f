namespace Emc.Kmodel.Simulation.Steps;

// Float32 CPU layers, in the SDK's order of operations and single precision (spec §4.1). Loops run forward
// element by element like kpu.c so that overlapping input/output ranges behave as on the device.

internal sealed class AddStep(int index, AddBody b) : SimulationStep(index, KmodelLayerType.Add)
{
    public override void Run(SimulationState s)
    {
        Span<float> a = s.MainFloats(b.InA, b.Count), c = s.MainFloats(b.InB, b.Count), dst = s.MainFloats(b.Out, b.Count);
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = a[i] + c[i];
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Count * 4L);
}

internal sealed class GlobalAveragePoolStep(int index, GlobalAveragePool2DBody b) : SimulationStep(index, KmodelLayerType.GlobalAveragePool2D)
{
    public override void Run(SimulationState s)
    {
        Span<float> src = s.MainFloats(b.In, (long)b.KernelSize * b.Channels);
        Span<float> dst = s.MainFloats(b.Out, b.Channels);
        float divisor = b.KernelSize;
        for (int c = 0; c < b.Channels; c++)
        {
            float sum = 0f;
            ReadOnlySpan<float> channel = src.Slice(c * (int)b.KernelSize, (int)b.KernelSize);
            for (int i = 0; i < channel.Length; i++)
            {
                sum += channel[i];
            }

            dst[c] = sum / divisor;
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Channels * 4L);
}

internal sealed class AveragePoolStep(int index, Pool2DBody b) : SimulationStep(index, KmodelLayerType.AveragePool2D)
{
    public override void Run(SimulationState s)
    {
        PoolWindow w = b.Window;
        Span<float> src = s.MainFloats(b.In, (long)w.InWidth * w.InHeight * w.OutChannels);
        Span<float> dst = s.MainFloats(b.Out, (long)w.OutWidth * w.OutHeight * w.OutChannels);
        int d = 0;
        for (int oc = 0; oc < w.OutChannels; oc++)
        {
            int channel = (int)(w.InWidth * w.InHeight) * oc;
            for (long oy = 0; oy < w.OutHeight; oy++)
            {
                for (long ox = 0; ox < w.OutWidth; ox++)
                {
                    var win = CpuWindow.Clip(w, oy, ox);
                    float value = 0, count = 0;
                    for (long y = win.Y0; y < win.Y1; y++)
                    {
                        for (long x = win.X0; x < win.X1; x++)
                        {
                            value += src[channel + (int)((y * w.InWidth) + x)];
                            count++;
                        }
                    }

                    dst[d++] = value / count;
                }
            }
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s)
        => s.MainBytes(b.Out, (long)b.Window.OutWidth * b.Window.OutHeight * b.Window.OutChannels * 4);
}

internal sealed class L2NormalizationStep(int index, L2NormalizationBody b) : SimulationStep(index, KmodelLayerType.L2Normalization)
{
    public override void Run(SimulationState s)
    {
        Span<float> src = s.MainFloats(b.In, b.Channels);
        Span<float> dst = s.MainFloats(b.Out, b.Channels);
        float sum = 0f;
        for (int i = 0; i < src.Length; i++)
        {
            sum += src[i] * src[i];
        }

        if (sum < 1e-10f)
        {
            sum = 1e-10f;
        }

        sum = 1f / MathF.Sqrt(sum);
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = src[i] * sum;
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Channels * 4L);
}

internal sealed class SoftmaxStep(int index, SoftmaxBody b) : SimulationStep(index, KmodelLayerType.Softmax)
{
    /// <summary>C's FLT_MIN: the SDK starts the maximum from the smallest positive normal float, not −∞.</summary>
    public const float FltMin = 1.17549435e-38f;

    public override void Run(SimulationState s)
    {
        Span<float> src = s.MainFloats(b.In, b.Channels);
        Span<float> dst = s.MainFloats(b.Out, b.Channels);
        float max = FltMin;
        for (int i = 0; i < src.Length; i++)
        {
            max = FMax(max, src[i]);
        }

        float sum = 0f;
        for (int i = 0; i < dst.Length; i++)
        {
            float value = MathF.Exp(src[i] - max);
            sum += value;
            dst[i] = value;
        }

        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] /= sum;
        }
    }

    /// <summary>C fmaxf: a NaN operand yields the other operand.</summary>
    private static float FMax(float a, float b) => float.IsNaN(a) ? b : float.IsNaN(b) ? a : Math.Max(a, b);

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Channels * 4L);
}

internal sealed class LogisticStep(int index, LogisticBody b) : SimulationStep(index, KmodelLayerType.Logistic)
{
    public override void Run(SimulationState s)
    {
        Span<float> src = s.MainFloats(b.In, b.Channels);
        Span<float> dst = s.MainFloats(b.Out, b.Channels);
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = 1f / (1f + MathF.Exp(-src[i]));
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Channels * 4L);
}

internal sealed class FullyConnectedStep(int index, FullyConnectedBody b) : SimulationStep(index, KmodelLayerType.FullyConnected)
{
    public override void Run(SimulationState s)
    {
        int inCount = (int)b.InChannels, outCount = (int)b.OutChannels;

        // kpu.c copies the weights out of the body first; the sums run in increasing i, one float at a time.
        Span<float> src = s.MainFloats(b.In, inCount);
        Span<float> dst = s.MainFloats(b.Out, outCount);
        for (int o = 0; o < outCount; o++)
        {
            ReadOnlySpan<float> w = b.Weights.AsSpan(o * inCount, inCount);
            float sum = 0f;
            for (int i = 0; i < inCount; i++)
            {
                sum += src[i] * w[i];
            }

            dst[o] = sum + b.Bias[o];
        }

        for (int o = 0; o < outCount; o++)
        {
            // The SDK's max/min macros: NaN compares false and becomes the constant.
            if (b.Activation == 1)
            {
                dst[o] = dst[o] > 0 ? dst[o] : 0;
            }
            else if (b.Activation == 2)
            {
                float v = dst[o] > 0 ? dst[o] : 0;
                dst[o] = v < 6 ? v : 6;
            }
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.OutChannels * 4L);
}

/// <summary>TENSORFLOW_FLATTEN (20, float32) and QUANTIZED_TENSORFLOW_FLATTEN (21, uint8): CHW → HWC.</summary>
internal sealed class FlattenStep(int index, TensorflowFlattenBody b) : SimulationStep(index, b.LayerType)
{
    private readonly int _element = b.LayerType == KmodelLayerType.TensorflowFlatten ? 4 : 1;

    public override void Run(SimulationState s)
    {
        long count = (long)b.Width * b.Height * b.Channels;
        Span<byte> src = s.MainBytes(b.In, count * _element);
        Span<byte> dst = s.MainBytes(b.Out, count * _element);
        int d = 0;
        for (int y = 0; y < b.Height; y++)
        {
            for (int x = 0; x < b.Width; x++)
            {
                for (int c = 0; c < b.Channels; c++)
                {
                    int from = (int)((((c * b.Height) + y) * b.Width) + x) * _element;
                    src.Slice(from, _element).CopyTo(dst.Slice(d, _element));
                    d += _element;
                }
            }
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, (long)b.Width * b.Height * b.Channels * _element);
}

/// <summary>RESIZE_NEAREST_NEIGHBOR (22, float32) and its quantized form (23, uint8).</summary>
internal sealed class ResizeStep(int index, ResizeNearestNeighborBody b) : SimulationStep(index, b.LayerType)
{
    private readonly int _element = b.LayerType == KmodelLayerType.ResizeNearestNeighbor ? 4 : 1;

    public override void Run(SimulationState s)
    {
        float heightScale = (float)b.InHeight / b.OutHeight;
        float widthScale = (float)b.InWidth / b.OutWidth;
        Span<byte> src = s.MainBytes(b.In, (long)b.InWidth * b.InHeight * b.InChannels * _element);
        Span<byte> dst = s.MainBytes(b.Out, (long)b.OutWidth * b.OutHeight * b.InChannels * _element);
        int d = 0;
        for (int c = 0; c < b.InChannels; c++)
        {
            int channel = (int)(b.InWidth * b.InHeight) * c;
            for (uint oy = 0; oy < b.OutHeight; oy++)
            {
                uint iy = (uint)Math.Min(MathF.Floor(oy * heightScale), b.InHeight - 1);
                for (uint ox = 0; ox < b.OutWidth; ox++)
                {
                    uint ix = (uint)Math.Min(MathF.Floor(ox * widthScale), b.InWidth - 1);
                    int from = (int)(channel + (iy * b.InWidth) + ix) * _element;
                    src.Slice(from, _element).CopyTo(dst.Slice(d, _element));
                    d += _element;
                }
            }
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, (long)b.OutWidth * b.OutHeight * b.InChannels * _element);
}

/// <summary>The clipped input window of a CPU pool output (kpu.c semantics: padding never contributes).</summary>
internal readonly record struct CpuWindow(long Y0, long Y1, long X0, long X1)
{
    public static CpuWindow Clip(PoolWindow w, long oy, long ox)
    {
        long originX = (ox * w.StrideWidth) - w.PadWidth;
        long originY = (oy * w.StrideHeight) - w.PadHeight;
        long x0 = Math.Max(0, originX), x1 = Math.Min(originX + w.KernelWidth, w.InWidth);
        long y0 = Math.Max(0, originY), y1 = Math.Min(originY + w.KernelHeight, w.InHeight);
        return new CpuWindow(y0, y1, x0, x1);
    }
}
