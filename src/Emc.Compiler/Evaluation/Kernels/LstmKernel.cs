using Emc.Compiler.Ops;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>
/// The ONNX LSTM recurrence, per direction, batch item and step t (gate rows of W, R, B in the order i, o, f, c):
/// g = W·x_t + R·h + Wb + Rb; i = f(g_i + P_i⊙c), f_t = f(g_f + P_f⊙c) (or 1 − i with input_forget), ĉ = g(g_c),
/// c = f_t⊙c + i⊙ĉ, o = f(g_o + P_o⊙c), h = o⊙h(c); every activation's argument clipped to ±clip. Steps at or past a
/// batch item's sequence length leave zeros in Y and do not change its state.
/// </summary>
internal static class LstmKernel
{
    public static void Run(LstmParameters parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> bias,
        ReadOnlySpan<int> sequenceLens, ReadOnlySpan<float> initialH, ReadOnlySpan<float> initialC, ReadOnlySpan<float> peepholes,
        Span<float> y, Span<float> hLast, Span<float> cLast)
    {
        var p = parameters.Shape;
        int hidden = p.Hidden, inputSize = p.InputSize;
        y.Clear();
        Span<float> gates = new float[4 * hidden];
        Span<float> h = new float[hidden];
        for (int d = 0; d < p.Directions; d++)
        {
            string f = p.Activations[3 * d], g = p.Activations[(3 * d) + 1], act = p.Activations[(3 * d) + 2];
            var wd = w.Slice(d * 4 * hidden * inputSize, 4 * hidden * inputSize);
            var rd = r.Slice(d * 4 * hidden * hidden, 4 * hidden * hidden);
            for (int b = 0; b < p.Batch; b++)
            {
                int state = ((d * p.Batch) + b) * hidden;
                var c = cLast.Slice(state, hidden);
                var hOut = hLast.Slice(state, hidden);
                InitialState(initialH, state, hOut);
                InitialState(initialC, state, c);
                int length = sequenceLens.IsEmpty ? p.SeqLength : Math.Clamp(sequenceLens[b], 0, p.SeqLength);
                for (int step = 0; step < length; step++)
                {
                    int t = p.Backward(d) ? length - 1 - step : step;
                    var xt = x.Slice(((t * p.Batch) + b) * inputSize, inputSize);
                    for (int row = 0; row < 4 * hidden; row++)
                    {
                        float s = Dot(rd.Slice(row * hidden, hidden), hOut, Dot(wd.Slice(row * inputSize, inputSize), xt));
                        gates[row] = bias.IsEmpty ? s : s + (bias[(d * 8 * hidden) + row] + bias[(d * 8 * hidden) + (4 * hidden) + row]);
                    }

                    for (int j = 0; j < hidden; j++)
                    {
                        float pi = 0f, po = 0f, pf = 0f;
                        if (!peepholes.IsEmpty)
                        {
                            pi = peepholes[(d * 3 * hidden) + j];
                            po = peepholes[(d * 3 * hidden) + hidden + j];
                            pf = peepholes[(d * 3 * hidden) + (2 * hidden) + j];
                        }

                        float i = Activate(f, gates[j] + (pi * c[j]), p.Clip);
                        float forget = parameters.InputForget ? 1f - i : Activate(f, gates[(2 * hidden) + j] + (pf * c[j]), p.Clip);
                        float candidate = Activate(g, gates[(3 * hidden) + j], p.Clip);
                        c[j] = (forget * c[j]) + (i * candidate);
                        float o = Activate(f, gates[hidden + j] + (po * c[j]), p.Clip);
                        h[j] = o * RecurrentActivations.Apply(act, c[j]);
                    }

                    h.CopyTo(hOut);
                    h.CopyTo(y.Slice(((((t * p.Directions) + d) * p.Batch) + b) * hidden, hidden));
                }
            }
        }
    }

    /// <summary>Σ a[k]·b[k] in index order, added to <paramref name="start"/>.</summary>
    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float start = 0f)
    {
        float s = start;
        for (int k = 0; k < a.Length; k++)
        {
            s += a[k] * b[k];
        }

        return s;
    }

    internal static void InitialState(ReadOnlySpan<float> initial, int offset, Span<float> state)
    {
        if (initial.IsEmpty)
        {
            state.Clear();
        }
        else
        {
            initial.Slice(offset, state.Length).CopyTo(state);
        }
    }

    private static float Activate(string name, float v, float clip) => RecurrentActivations.Apply(name, RecurrentActivations.Clip(v, clip));
}
