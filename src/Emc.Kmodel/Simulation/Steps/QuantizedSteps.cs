using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel.Simulation.Steps;

// uint8 and (de)quantization CPU layers (spec §4.1, §6.4): integer ones are exact; float ones follow kpu.c.

internal sealed class QuantizedAddStep(int index, QuantizedAddBody b) : SimulationStep(index, KmodelLayerType.QuantizedAdd)
{
    public long Processed => QuantizedAddEntry.Processed(b);

    public override void Run(SimulationState s)
    {
        Span<byte> a = s.MainBytes(b.InA, Processed), c = s.MainBytes(b.InB, Processed), dst = s.MainBytes(b.Out, Processed);
        long offA = b.AOffset, mulA = b.AMul, offB = b.BOffset, mulB = b.BMul;
        long offO = b.OutOffset, mulO = b.OutMul;
        int shA = b.AShift, shB = b.BShift, shO = b.OutShift;
        bool same = shA == shB;
        for (int i = 0; i < dst.Length; i++)
        {
            long va = (a[i] + offA) * mulA;
            long vb = (c[i] + offB) * mulB;
            long v = unchecked(same ? (va + vb) >> shA : (va >> shA) + (vb >> shB));
            v = unchecked(KpuArithmetic.CarryShift(v * mulO, shO) + offO);
            dst[i] = KpuArithmetic.SaturateToByte(v);
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, Processed);
}

internal sealed class QuantizedMaxPoolStep(int index, QuantizedMaxPool2DBody b) : SimulationStep(index, KmodelLayerType.QuantizedMaxPool2D)
{
    public override void Run(SimulationState s)
    {
        PoolWindow w = b.Window;
        Span<byte> src = s.MainBytes(b.In, (long)w.InWidth * w.InHeight * w.OutChannels);
        Span<byte> dst = s.MainBytes(b.Out, (long)w.OutWidth * w.OutHeight * w.OutChannels);
        int d = 0;
        for (int oc = 0; oc < w.OutChannels; oc++)
        {
            int channel = (int)(w.InWidth * w.InHeight) * oc;
            for (long oy = 0; oy < w.OutHeight; oy++)
            {
                for (long ox = 0; ox < w.OutWidth; ox++)
                {
                    var win = CpuWindow.Clip(w, oy, ox);
                    byte value = 0;
                    for (long y = win.Y0; y < win.Y1; y++)
                    {
                        for (long x = win.X0; x < win.X1; x++)
                        {
                            value = Math.Max(value, src[channel + (int)((y * w.InWidth) + x)]);
                        }
                    }

                    dst[d++] = value;
                }
            }
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s)
        => s.MainBytes(b.Out, (long)b.Window.OutWidth * b.Window.OutHeight * b.Window.OutChannels);
}

internal sealed class QuantizeStep(int index, QuantizeBody b) : SimulationStep(index, KmodelLayerType.Quantize)
{
    public override void Run(SimulationState s)
    {
        Span<float> src = s.MainFloats(b.In, b.Count);
        Span<byte> dst = s.MainBytes(b.Out, b.Count);
        float scale = 1f / b.Scale;
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = Quantize(src[i], b.Bias, scale);
        }
    }

    /// <summary><c>clamp((int)roundf((x − bias)·inv), 0, 255)</c>; NaN converts like RISC-V <c>fcvt.w.s</c> (to INT_MAX → 255).</summary>
    public static byte Quantize(float x, float bias, float inverseScale)
    {
        float r = MathF.Round((x - bias) * inverseScale, MidpointRounding.AwayFromZero);
        return float.IsNaN(r) || r > 255f ? (byte)255 : r < 0f ? (byte)0 : (byte)r;
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Count);
}

internal sealed class DequantizeStep(int index, DequantizeBody b) : SimulationStep(index, KmodelLayerType.Dequantize)
{
    public override void Run(SimulationState s)
    {
        // Byte-wise forward loop like kpu.c: output (4 bytes per element) may overlap the input.
        Span<byte> src = s.MainBytes(b.In, b.Count);
        Span<float> dst = s.MainFloats(b.Out, b.Count);
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = (src[i] * b.Scale) + b.Bias;
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Count * 4L);
}

internal sealed class ChannelwiseDequantizeStep(int index, ChannelwiseDequantizeBody b) : SimulationStep(index, KmodelLayerType.ChannelwiseDequantize)
{
    private readonly float[] _scale = b.Parameters.Select(p => p.Scale).ToArray();
    private readonly float[] _bias = b.Parameters.Select(p => p.Bias).ToArray();

    private long Count => (long)_scale.Length * b.ChannelSize;

    public override void Run(SimulationState s)
    {
        Span<byte> src = s.MainBytes(b.In, Count);
        Span<float> dst = s.MainFloats(b.Out, Count);
        int i = 0;
        for (int c = 0; c < _scale.Length; c++)
        {
            float scale = _scale[c], bias = _bias[c];
            for (int j = 0; j < b.ChannelSize; j++, i++)
            {
                dst[i] = (src[i] * scale) + bias;
            }
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, Count * 4);
}

internal sealed class RequantizeStep(int index, RequantizeBody b) : SimulationStep(index, KmodelLayerType.Requantize)
{
    public override void Run(SimulationState s)
    {
        Span<byte> src = s.MainBytes(b.In, b.Count);
        Span<byte> dst = s.MainBytes(b.Out, b.Count);
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = b.Table[src[i]];
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, b.Count);
}

/// <summary>CONCAT (16) and QUANTIZED_CONCAT (17): byte ranges copied one after another (memcpy each).</summary>
internal sealed class ConcatStep(int index, ConcatBody b) : SimulationStep(index, b.LayerType)
{
    public long Total => b.Inputs.Sum(i => (long)i.Size);

    public override void Run(SimulationState s)
    {
        long at = b.Out;
        foreach ((uint start, uint size) in b.Inputs)
        {
            s.Main.AsSpan((int)start, (int)size).CopyTo(s.Main.AsSpan((int)at, (int)size));
            at += size;
        }
    }

    public override ReadOnlySpan<byte> Written(SimulationState s) => s.MainBytes(b.Out, Total);
}
