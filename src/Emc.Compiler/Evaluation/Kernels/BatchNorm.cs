using System.Numerics.Tensors;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Inference batch normalisation: y = (x − mean)/√(var + ε)·scale + bias per channel (axis 1).</summary>
public static class BatchNorm
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
                TensorPrimitives.Multiply(x.Slice(start, plane), multiplier[c], dst);
                TensorPrimitives.Add(dst, offset[c], dst);
            }
        }
    }
}
