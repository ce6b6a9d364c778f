using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Differential;

/// <summary>Random LSTM and GRU nodes: every direction, optional bias, initial states, peepholes and sequence_lens (steps
/// past an item's length), clip, input_forget / linear_before_reset and non-default activations, opsets 7 and 14.</summary>
internal static class RecurrentCases
{
    public static IEnumerable<DifferentialCase> Lstm(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < 24; i++)
        {
            string direction = r.Pick("forward", "reverse", "bidirectional");
            int dirs = direction == "bidirectional" ? 2 : 1;
            int seq = r.Int(1, 5), batch = r.Int(1, 3), input = r.Int(1, 6), hidden = r.Int(1, 5);
            var b = new OnnxModelBuilder(r.Pick(7L, 14L)).Input("x", DataType.Float32, seq, batch, input)
                .Initializer("w", r.Tensor([dirs, 4 * hidden, input]))
                .Initializer("r", r.Tensor([dirs, 4 * hidden, hidden]));
            var inputs = new List<string> { "x", "w", "r" };
            void Optional(bool present, string name, Func<Tensor> value)
            {
                if (present)
                {
                    b.Initializer(name, value());
                }

                inputs.Add(present ? name : "");
            }

            bool lens = i % 4 == 1;
            Optional(r.Bool(), "b", () => r.Tensor([dirs, 8 * hidden]));
            Optional(lens, "lens", () => Tensor.Create(new Shape(batch), Enumerable.Range(0, batch).Select(k => k == 0 ? seq : r.Int(1, seq)).ToArray()));
            Optional(r.Bool(), "h0", () => r.Tensor([dirs, batch, hidden]));
            Optional(r.Bool(), "c0", () => r.Tensor([dirs, batch, hidden]));
            Optional(i % 3 == 2, "p", () => r.Tensor([dirs, 3 * hidden]));
            while (inputs[^1].Length == 0)
            {
                inputs.RemoveAt(inputs.Count - 1);
            }

            float clip = i % 5 == 3 ? r.Float(0.3f, 1.5f) : 0;
            bool coupled = i % 6 == 4;
            string[]? activations = i % 7 == 5 ? [.. Enumerable.Range(0, dirs).SelectMany(_ => new[] { "Sigmoid", r.Pick("Tanh", "Relu"), r.Pick("Tanh", "Relu") })] : null;
            b.Node("LSTM", [.. inputs], ["y", "yh", "yc"], a =>
            {
                a.String("direction", direction).Int("hidden_size", hidden);
                if (clip > 0)
                {
                    a.Float("clip", clip);
                }

                if (coupled)
                {
                    a.Int("input_forget", 1);
                }

                if (activations is not null)
                {
                    a.Strings("activations", activations);
                }
            }).Output("y").Output("yh").Output("yc");
            string name = $"LSTM#{i} {direction} seq {seq} batch {batch} in {input} hidden {hidden} [{string.Join(",", inputs.Skip(3).Select(n => n.Length == 0 ? "-" : n))}]"
                + (clip > 0 ? " clip" : "") + (coupled ? " input_forget" : "") + (activations is null ? "" : " " + string.Join("/", activations));
            yield return DifferentialCase.From(name, b, r.Tensor([seq, batch, input]));
        }
    }

    public static IEnumerable<DifferentialCase> Gru(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < 24; i++)
        {
            string direction = r.Pick("forward", "reverse", "bidirectional");
            int dirs = direction == "bidirectional" ? 2 : 1;
            int seq = r.Int(1, 5), batch = r.Int(1, 3), input = r.Int(1, 6), hidden = r.Int(1, 5);
            var b = new OnnxModelBuilder(r.Pick(7L, 14L)).Input("x", DataType.Float32, seq, batch, input)
                .Initializer("w", r.Tensor([dirs, 3 * hidden, input]))
                .Initializer("r", r.Tensor([dirs, 3 * hidden, hidden]));
            var inputs = new List<string> { "x", "w", "r" };
            bool hasBias = r.Bool(), lens = i % 4 == 1, hasH0 = r.Bool();
            if (hasBias)
            {
                b.Initializer("b", r.Tensor([dirs, 6 * hidden]));
            }

            if (lens)
            {
                b.Initializer("lens", Tensor.Create(new Shape(batch), Enumerable.Range(0, batch).Select(k => k == 0 ? seq : r.Int(1, seq)).ToArray()));
            }

            if (hasH0)
            {
                b.Initializer("h0", r.Tensor([dirs, batch, hidden]));
            }

            inputs.AddRange([hasBias ? "b" : "", lens ? "lens" : "", hasH0 ? "h0" : ""]);
            while (inputs[^1].Length == 0)
            {
                inputs.RemoveAt(inputs.Count - 1);
            }

            float clip = i % 5 == 3 ? r.Float(0.3f, 1.5f) : 0;
            bool linearBeforeReset = i % 2 == 0;
            string[]? activations = i % 7 == 5 ? [.. Enumerable.Range(0, dirs).SelectMany(_ => new[] { "Sigmoid", r.Pick("Tanh", "Relu") })] : null;
            b.Node("GRU", [.. inputs], ["y", "yh"], a =>
            {
                a.String("direction", direction).Int("hidden_size", hidden).Int("linear_before_reset", linearBeforeReset ? 1 : 0);
                if (clip > 0)
                {
                    a.Float("clip", clip);
                }

                if (activations is not null)
                {
                    a.Strings("activations", activations);
                }
            }).Output("y").Output("yh");
            string name = $"GRU#{i} {direction} seq {seq} batch {batch} in {input} hidden {hidden} [{string.Join(",", inputs.Skip(3).Select(n => n.Length == 0 ? "-" : n))}]"
                + (clip > 0 ? " clip" : "") + (linearBeforeReset ? " linear_before_reset" : "") + (activations is null ? "" : " " + string.Join("/", activations));
            yield return DifferentialCase.From(name, b, r.Tensor([seq, batch, input]));
        }
    }
}
