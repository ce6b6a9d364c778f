using System.Numerics.Tensors;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Softmax and log-softmax over one axis of a tensor seen as [outer, axis, inner] (max-subtracted, so
/// large inputs do not overflow).</summary>
internal static class Softmax
{
    /// <summary>Scratch floats needed when the axis is not innermost.</summary>
    public static int ScratchLength(int axisLength, int inner) => inner == 1 ? 0 : axisLength;

    public static void Run(ReadOnlySpan<float> x, Span<float> y, int outer, int axisLength, int inner, bool log, Span<float> scratch)
    {
        for (int o = 0; o < outer; o++)
        {
            int baseOffset = o * axisLength * inner;
            if (inner == 1)
            {
                Vector(x.Slice(baseOffset, axisLength), y.Slice(baseOffset, axisLength), log);
                continue;
            }

            var row = scratch[..axisLength];
            for (int i = 0; i < inner; i++)
            {
                for (int a = 0; a < axisLength; a++)
                {
                    row[a] = x[baseOffset + (a * inner) + i];
                }

                Vector(row, row, log);
                for (int a = 0; a < axisLength; a++)
                {
                    y[baseOffset + (a * inner) + i] = row[a];
                }
            }
        }
    }

    private static void Vector(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        if (log)
        {
            // log softmax = (x - max) - log(sum(exp(x - max))); exp goes to the tail of y's own values, so compute
            // the sum element by element instead of overwriting y.
            float sum = 0f;
            for (int i = 0; i < y.Length; i++)
            {
                sum += MathF.Exp(y[i]);
            }

            TensorPrimitives.Subtract(y, MathF.Log(sum), y);
            return;
        }

        TensorPrimitives.Exp(y, y);
        float total = TensorPrimitives.Sum(y);
        TensorPrimitives.Divide(y, total, y);
    }
}
