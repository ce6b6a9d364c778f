namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Local response normalisation across channels (ONNX LRN):
/// y = x / (bias + α/size · Σ x²over the window [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉])^β.</summary>
internal static class Lrn
{
    public static void Run(ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int plane, int size, float alpha,
        float beta, float bias)
    {
        int before = (size - 1) / 2;
        int after = size - 1 - before;
        float scale = alpha / size;
        for (int n = 0; n < batch; n++)
        {
            var xb = x.Slice(n * channels * plane, channels * plane);
            var yb = y.Slice(n * channels * plane, channels * plane);
            for (int c = 0; c < channels; c++)
            {
                int lo = Math.Max(0, c - before), hi = Math.Min(channels - 1, c + after);
                for (int i = 0; i < plane; i++)
                {
                    float sum = 0f;
                    for (int k = lo; k <= hi; k++)
                    {
                        float v = xb[(k * plane) + i];
                        sum += v * v;
                    }

                    yb[(c * plane) + i] = xb[(c * plane) + i] / MathF.Pow(bias + (scale * sum), beta);
                }
            }
        }
    }
}
