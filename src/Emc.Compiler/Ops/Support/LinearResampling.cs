using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops.Support;

/// <summary>
/// ONNX linear resizing (Resize mode linear, Upsample mode linear), one axis at a time: the coordinate transformation
/// gives each output index its position in the input, clamped to [0, in − 1] (as ONNX Runtime does, and as the
/// reference's edge padding amounts to), which falls between two neighbours blended by its fractional part.
/// </summary>
internal static class LinearResampling
{
    public static readonly string[] CoordinateModes = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"];

    public static LinearAxis Axis(int inLength, int outLength, double scale, string coordinateMode)
    {
        var low = new int[outLength];
        var high = new int[outLength];
        var weight = new float[outLength];
        for (int o = 0; o < outLength; o++)
        {
            double original = coordinateMode switch
            {
                "half_pixel" => ((o + 0.5) / scale) - 0.5,
                "pytorch_half_pixel" => outLength > 1 ? ((o + 0.5) / scale) - 0.5 : 0,
                "align_corners" => outLength == 1 ? 0 : o * (double)(inLength - 1) / (outLength - 1),
                _ => o / scale,
            };

            original = Math.Clamp(original, 0, inLength - 1);
            int lo = (int)Math.Floor(original);
            low[o] = lo;
            high[o] = Math.Min(lo + 1, inLength - 1);
            weight[o] = (float)(original - lo);
        }

        return new LinearAxis(inLength, scale, low, high, weight);
    }

    /// <summary>Resizes <paramref name="input"/> (float32) axis by axis into <paramref name="output"/>.</summary>
    public static void Apply(Tensor input, LinearAxis[] axes, Tensor output)
    {
        float[] current = ((Tensor<float>)input).Data;
        int[] dims = input.Shape.ToArray();
        var changed = Enumerable.Range(0, axes.Length).Where(a => !axes[a].IsIdentity).ToList();
        if (changed.Count == 0)
        {
            current.AsSpan().CopyTo(((Tensor<float>)output).Data);
            return;
        }

        for (int k = 0; k < changed.Count; k++)
        {
            int a = changed[k];
            var axis = axes[a];
            long outer = 1, inner = 1;
            for (int d = 0; d < a; d++)
            {
                outer *= dims[d];
            }

            for (int d = a + 1; d < dims.Length; d++)
            {
                inner *= dims[d];
            }

            float[] next = k == changed.Count - 1 ? ((Tensor<float>)output).Data : new float[outer * axis.OutputLength * inner];
            for (long b = 0; b < outer; b++)
            {
                long src = b * axis.InputLength * inner, dst = b * axis.OutputLength * inner;
                for (int o = 0; o < axis.OutputLength; o++)
                {
                    long lo = src + (axis.Low[o] * inner), hi = src + (axis.High[o] * inner), to = dst + (o * inner);
                    float w = axis.Weight[o], v = 1 - w;
                    for (long i = 0; i < inner; i++)
                    {
                        next[to + i] = (v * current[lo + i]) + (w * current[hi + i]);
                    }
                }
            }

            current = next;
            dims[a] = axis.OutputLength;
        }
    }
}
