using Emc.Compiler.Ops;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>
/// The ONNX GRU recurrence, per direction, batch item and step t (gate rows of W, R, B in the order z, r, h):
/// z = f(W_z·x + R_z·h + Wb_z + Rb_z), r likewise; ĥ = g(W_h·x + R_h·(r⊙h) + Rb_h + Wb_h), or with linear_before_reset
/// ĥ = g(W_h·x + r⊙(R_h·h + Rb_h) + Wb_h); h = (1 − z)⊙ĥ + z⊙h; every activation's argument clipped to ±clip. Steps at
/// or past a batch item's sequence length leave zeros in Y and do not change its state.
/// </summary>
internal static class GruKernel
{
    public static void Run(GruParameters parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> bias,
        ReadOnlySpan<int> sequenceLens, ReadOnlySpan<float> initialH, Span<float> y, Span<float> hLast)
    {
        var p = parameters.Shape;
        int hidden = p.Hidden, inputSize = p.InputSize;
        y.Clear();
        Span<float> z = new float[hidden], reset = new float[hidden], gated = new float[hidden], h = new float[hidden];
        for (int d = 0; d < p.Directions; d++)
        {
            string f = p.Activations[2 * d], g = p.Activations[(2 * d) + 1];
            var wd = w.Slice(d * 3 * hidden * inputSize, 3 * hidden * inputSize);
            var rd = r.Slice(d * 3 * hidden * hidden, 3 * hidden * hidden);
            var bd = bias.IsEmpty ? default : bias.Slice(d * 6 * hidden, 6 * hidden);
            for (int b = 0; b < p.Batch; b++)
            {
                var hOut = hLast.Slice(((d * p.Batch) + b) * hidden, hidden);
                LstmKernel.InitialState(initialH, ((d * p.Batch) + b) * hidden, hOut);
                int length = sequenceLens.IsEmpty ? p.SeqLength : Math.Clamp(sequenceLens[b], 0, p.SeqLength);
                for (int step = 0; step < length; step++)
                {
                    int t = p.Backward(d) ? length - 1 - step : step;
                    var xt = x.Slice(((t * p.Batch) + b) * inputSize, inputSize);
                    for (int j = 0; j < hidden; j++)
                    {
                        z[j] = Activate(f, Gate(wd, rd, bd, xt, hOut, 0, j), p.Clip);
                        reset[j] = Activate(f, Gate(wd, rd, bd, xt, hOut, 1, j), p.Clip);
                        gated[j] = reset[j] * hOut[j];
                    }

                    for (int j = 0; j < hidden; j++)
                    {
                        float wx = LstmKernel.Dot(wd.Slice(((2 * hidden) + j) * inputSize, inputSize), xt);
                        var rh = rd.Slice(((2 * hidden) + j) * hidden, hidden);
                        float candidate = parameters.LinearBeforeReset
                            ? Activate(g, wx + (reset[j] * (LstmKernel.Dot(rh, hOut) + At(bd, (5 * hidden) + j))) + At(bd, (2 * hidden) + j), p.Clip)
                            : Activate(g, LstmKernel.Dot(rh, gated, wx) + At(bd, (5 * hidden) + j) + At(bd, (2 * hidden) + j), p.Clip);
                        h[j] = ((1f - z[j]) * candidate) + (z[j] * hOut[j]);
                    }

                    h.CopyTo(hOut);
                    h.CopyTo(y.Slice(((((t * p.Directions) + d) * p.Batch) + b) * hidden, hidden));
                }
            }
        }
    }

    /// <summary>Gate <paramref name="part"/> (0 = z, 1 = r) of unit j: R·h summed onto W·x, plus both biases.</summary>
    private static float Gate(ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, ReadOnlySpan<float> h, int part, int j)
    {
        int hidden = h.Length, row = (part * hidden) + j;
        float s = LstmKernel.Dot(r.Slice(row * hidden, hidden), h, LstmKernel.Dot(w.Slice(row * x.Length, x.Length), x));
        return s + (At(bias, row) + At(bias, (3 * hidden) + row));
    }

    private static float At(ReadOnlySpan<float> bias, int index) => bias.IsEmpty ? 0f : bias[index];

    private static float Activate(string name, float v, float clip) => RecurrentActivations.Apply(name, RecurrentActivations.Clip(v, clip));
}
