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
            var c = new RecurrentNode(r, gates: 4);
            c.Optional(r.Bool(), "b", [c.Directions, 8 * c.Hidden]);
            c.SequenceLens(i % 4 == 1);
            c.Optional(r.Bool(), "h0", [c.Directions, c.Batch, c.Hidden]);
            c.Optional(r.Bool(), "c0", [c.Directions, c.Batch, c.Hidden]);
            c.Optional(i % 3 == 2, "p", [c.Directions, 3 * c.Hidden]);
            bool coupled = i % 6 == 4;
            yield return c.Build("LSTM", i, ["y", "yh", "yc"], i % 5 == 3, i % 7 == 5, coupled ? ("input_forget", 1) : null);
        }
    }

    public static IEnumerable<DifferentialCase> Gru(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < 24; i++)
        {
            var c = new RecurrentNode(r, gates: 3);
            c.Optional(r.Bool(), "b", [c.Directions, 6 * c.Hidden]);
            c.SequenceLens(i % 4 == 1);
            c.Optional(r.Bool(), "h0", [c.Directions, c.Batch, c.Hidden]);
            yield return c.Build("GRU", i, ["y", "yh"], i % 5 == 3, i % 7 == 5, ("linear_before_reset", i % 2 == 0 ? 1 : 0));
        }
    }

    /// <summary>One random recurrent node: its sizes, X, W and R, then the optional inputs in ONNX order.</summary>
    private sealed class RecurrentNode
    {
        private readonly CaseRandom _r;
        private readonly int _gates;
        private readonly List<string> _inputs = ["x", "w", "r"];

        public RecurrentNode(CaseRandom r, int gates)
        {
            _r = r;
            _gates = gates;
            Direction = r.Pick("forward", "reverse", "bidirectional");
            Directions = Direction == "bidirectional" ? 2 : 1;
            (Seq, Batch, Input, Hidden) = (r.Int(1, 5), r.Int(1, 3), r.Int(1, 6), r.Int(1, 5));
            Builder = new OnnxModelBuilder(r.Pick(7L, 14L)).Input("x", DataType.Float32, Seq, Batch, Input)
                .Initializer("w", r.Tensor([Directions, gates * Hidden, Input]))
                .Initializer("r", r.Tensor([Directions, gates * Hidden, Hidden]));
        }

        public string Direction { get; }

        public int Directions { get; }

        public int Seq { get; }

        public int Batch { get; }

        public int Input { get; }

        public int Hidden { get; }

        public OnnxModelBuilder Builder { get; }

        public void Optional(bool present, string name, int[] dims) => Add(present, name, () => _r.Tensor(dims));

        /// <summary>sequence_lens: the first item runs every step, the others a random number of them.</summary>
        public void SequenceLens(bool present) =>
            Add(present, "lens", () => Tensor.Create(new Shape(Batch), Enumerable.Range(0, Batch).Select(k => k == 0 ? Seq : _r.Int(1, Seq)).ToArray()));

        public DifferentialCase Build(string op, int index, string[] outputs, bool clip, bool activations, (string Name, int Value)? attribute)
        {
            while (_inputs[^1].Length == 0)
            {
                _inputs.RemoveAt(_inputs.Count - 1);
            }

            float threshold = clip ? _r.Float(0.3f, 1.5f) : 0;
            string[]? names = activations
                ? [.. Enumerable.Range(0, Directions).SelectMany(_ => new[] { "Sigmoid" }.Concat(Enumerable.Range(0, _gates - 2).Select(_ => _r.Pick("Tanh", "Relu"))))]
                : null;
            Builder.Node(op, [.. _inputs], outputs, a =>
            {
                a.String("direction", Direction).Int("hidden_size", Hidden);
                if (threshold > 0)
                {
                    a.Float("clip", threshold);
                }

                if (attribute is var (name, value))
                {
                    a.Int(name, value);
                }

                if (names is not null)
                {
                    a.Strings("activations", names);
                }
            });
            foreach (string output in outputs)
            {
                Builder.Output(output);
            }

            string label = $"{op}#{index} {Direction} seq {Seq} batch {Batch} in {Input} hidden {Hidden} [{string.Join(",", _inputs.Skip(3).Select(n => n.Length == 0 ? "-" : n))}]"
                + (threshold > 0 ? " clip" : "") + (attribute is var (n, v) && v != 0 ? $" {n}" : "") + (names is null ? "" : " " + string.Join("/", names));
            return DifferentialCase.From(label, Builder, _r.Tensor([Seq, Batch, Input]));
        }

        private void Add(bool present, string name, Func<Tensor> value)
        {
            if (present)
            {
                Builder.Initializer(name, value());
            }

            _inputs.Add(present ? name : "");
        }
    }
}
