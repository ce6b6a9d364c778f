using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Inference batch normalisation: y = (x − mean)/√(var + ε)·scale + bias per channel (axis 1).</summary>
internal static class BatchNorm
{
    /// <summary>Folds the statistics into a per-channel multiplier and offset (2·C scratch floats).</summary>
    public static void Fold(ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance,
        float epsilon, Span<float> multiplier, Span<float> offset)
    {
        for (int c = 0; c < multiplier.Length; c++)
        {
            float m = scale[c] / MathF.Sqrt(variance[c] + epsilon);
            multiplier[c] = m;
            offset[c] = bias[c] - (mean[c] * m);
        }
    }

    /// <summary>y = x·multiplier[c] + offset[c] for the planes of [batch, channels, plane].</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int plane,
        ReadOnlySpan<float> multiplier, ReadOnlySpan<float> offset)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = ((n * channels) + c) * plane;
                var dst = y.Slice(start, plane);
                ScaleShift(x.Slice(start, plane), multiplier[c], offset[c], dst);
            }
        }
    }

    /// <summary>y = x·m + o in one pass (FMA where available).</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, float m, float o, Span<float> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 8)
        {
            var mv = Vector256.Create(m);
            var ov = Vector256.Create(o);
            ref float xr = ref MemoryMarshal.GetReference(x);
            ref float yr = ref MemoryMarshal.GetReference(y);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                (Fma.IsSupported ? Fma.MultiplyAdd(v, mv, ov) : (v * mv) + ov).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = Fma.IsSupported ? MathF.FusedMultiplyAdd(x[i], m, o) : (x[i] * m) + o;
        }
    }
}
