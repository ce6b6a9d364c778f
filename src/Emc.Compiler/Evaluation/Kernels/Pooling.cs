using System.Numerics.Tensors;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Max and average pooling over 2-D windows of NCHW planes, and global pooling.</summary>
internal static class Pooling
{
    public static void Max(in Pool2DGeometry g, ReadOnlySpan<float> input, Span<float> output)
    {
        for (int p = 0; p < g.Planes; p++)
        {
            var x = input.Slice(p * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            var y = output.Slice(p * g.OutputHeight * g.OutputWidth, g.OutputHeight * g.OutputWidth);
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int y0 = (oy * g.StrideHeight) - g.PadTop;
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int x0 = (ox * g.StrideWidth) - g.PadLeft;
                    float best = float.NegativeInfinity;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = y0 + (ky * g.DilationHeight);
                        if ((uint)iy >= (uint)g.InputHeight)
                        {
                            continue;
                        }

                        var row = x.Slice(iy * g.InputWidth, g.InputWidth);
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = x0 + (kx * g.DilationWidth);
                            if ((uint)ix < (uint)g.InputWidth)
                            {
                                float v = row[ix];
                                // NaN propagates, as in ONNX Runtime.
                                if (v > best || float.IsNaN(v))
                                {
                                    best = v;
                                }
                            }
                        }
                    }

                    y[(oy * g.OutputWidth) + ox] = best;
                }
            }
        }
    }

    /// <summary>Average pooling. The divisor counts the taps inside the input, or with <paramref name="countIncludePad"/>
    /// the taps inside the padded input (input plus its explicit pads).</summary>
    public static void Average(in Pool2DGeometry g, bool countIncludePad, ReadOnlySpan<float> input, Span<float> output)
    {
        for (int p = 0; p < g.Planes; p++)
        {
            var x = input.Slice(p * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            var y = output.Slice(p * g.OutputHeight * g.OutputWidth, g.OutputHeight * g.OutputWidth);
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int y0 = (oy * g.StrideHeight) - g.PadTop;
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int x0 = (ox * g.StrideWidth) - g.PadLeft;
                    float sum = 0f;
                    int inside = 0, padded = 0;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = y0 + (ky * g.DilationHeight);
                        bool rowInPadded = iy >= -g.PadTop && iy < g.InputHeight + g.PadBottom;
                        bool rowInside = (uint)iy < (uint)g.InputHeight;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = x0 + (kx * g.DilationWidth);
                            if (rowInPadded && ix >= -g.PadLeft && ix < g.InputWidth + g.PadRight)
                            {
                                padded++;
                            }

                            if (rowInside && (uint)ix < (uint)g.InputWidth)
                            {
                                sum += x[(iy * g.InputWidth) + ix];
                                inside++;
                            }
                        }
                    }

                    int count = countIncludePad ? padded : inside;
                    y[(oy * g.OutputWidth) + ox] = count == 0 ? 0f : sum / count;
                }
            }
        }
    }

    /// <summary>Mean of each plane of <paramref name="planeSize"/> values.</summary>
    public static void GlobalAverage(ReadOnlySpan<float> input, int planeSize, Span<float> output)
    {
        for (int p = 0; p < output.Length; p++)
        {
            output[p] = TensorPrimitives.Sum(input.Slice(p * planeSize, planeSize)) / planeSize;
        }
    }

    /// <summary>Maximum of each plane of <paramref name="planeSize"/> values.</summary>
    public static void GlobalMax(ReadOnlySpan<float> input, int planeSize, Span<float> output)
    {
        for (int p = 0; p < output.Length; p++)
        {
            output[p] = TensorPrimitives.Max(input.Slice(p * planeSize, planeSize));
        }
    }
}
