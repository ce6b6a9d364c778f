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
    public static readonly IReadOnlyList<string> Activations = ["Sigmoid", "Tanh", "Relu"];

    public static float Activate(string name, float v) => name switch
    {
        "Sigmoid" => 1f / (1f + MathF.Exp(-v)),
        "Tanh" => MathF.Tanh(v),
        _ => MathF.Max(v, 0f),
    };

    public static void Run(LstmParameters p, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> bias,
        ReadOnlySpan<int> sequenceLens, ReadOnlySpan<float> initialH, ReadOnlySpan<float> initialC, ReadOnlySpan<float> peepholes,
        Span<float> y, Span<float> hLast, Span<float> cLast)
    {
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
                if (initialH.IsEmpty)
                {
                    hOut.Clear();
                }
                else
                {
                    initialH.Slice(state, hidden).CopyTo(hOut);
                }

                if (initialC.IsEmpty)
                {
                    c.Clear();
                }
                else
                {
                    initialC.Slice(state, hidden).CopyTo(c);
                }

                int length = sequenceLens.IsEmpty ? p.SeqLength : Math.Clamp(sequenceLens[b], 0, p.SeqLength);
                for (int step = 0; step < length; step++)
                {
                    int t = p.Backward(d) ? length - 1 - step : step;
                    var xt = x.Slice(((t * p.Batch) + b) * inputSize, inputSize);
                    for (int row = 0; row < 4 * hidden; row++)
                    {
                        float s = 0f;
                        var wr = wd.Slice(row * inputSize, inputSize);
                        for (int k = 0; k < inputSize; k++)
                        {
                            s += wr[k] * xt[k];
                        }

                        var rr = rd.Slice(row * hidden, hidden);
                        for (int k = 0; k < hidden; k++)
                        {
                            s += rr[k] * hOut[k];
                        }

                        if (!bias.IsEmpty)
                        {
                            s += bias[(d * 8 * hidden) + row] + bias[(d * 8 * hidden) + (4 * hidden) + row];
                        }

                        gates[row] = s;
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

                        float i = Activate(f, Clip(gates[j] + (pi * c[j]), p.Clip));
                        float forget = p.InputForget ? 1f - i : Activate(f, Clip(gates[(2 * hidden) + j] + (pf * c[j]), p.Clip));
                        float candidate = Activate(g, Clip(gates[(3 * hidden) + j], p.Clip));
                        c[j] = (forget * c[j]) + (i * candidate);
                        float o = Activate(f, Clip(gates[hidden + j] + (po * c[j]), p.Clip));
                        h[j] = o * Activate(act, c[j]);
                    }

                    h.CopyTo(hOut);
                    h.CopyTo(y.Slice(((((t * p.Directions) + d) * p.Batch) + b) * hidden, hidden));
                }
            }
        }
    }

    private static float Clip(float v, float clip) => MathF.Max(-clip, MathF.Min(clip, v));
}
