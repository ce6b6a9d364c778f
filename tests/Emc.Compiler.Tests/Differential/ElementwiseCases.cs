using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Differential;

/// <summary>Random cases for activations, broadcasting arithmetic, Sum, PRelu, Clip, Softmax/LogSoftmax.</summary>
internal static class ElementwiseCases
{
    private const int PerOp = 24;

    public static IEnumerable<DifferentialCase> Unary(int seed)
    {
        var r = new CaseRandom(seed);
        (string Op, long Opset, Action<OnnxModelBuilder.AttributeList, CaseRandom>? Attrs, float Range)[] ops =
        [
            ("Relu", 14, null, 2f),
            ("Sigmoid", 13, null, 6f),
            ("Tanh", 13, null, 4f),
            ("Exp", 13, null, 4f),
            ("Neg", 13, null, 2f),
            ("Sign", 13, null, 2f),
            ("Softplus", 1, null, 6f),
            ("HardSwish", 14, null, 5f),
            ("LeakyRelu", 16, (a, x) => a.Float("alpha", x.Float(0.01f, 0.5f)), 2f),
            ("HardSigmoid", 6, (a, x) => a.Float("alpha", x.Float(0.1f, 0.5f)).Float("beta", x.Float(0.2f, 0.7f)), 5f),
            ("Elu", 6, (a, x) => a.Float("alpha", x.Float(0.2f, 2f)), 3f),
            ("Selu", 6, (a, x) => a.Float("alpha", x.Float(1f, 2f)).Float("gamma", x.Float(0.5f, 1.5f)), 3f),
            ("Shrink", 9, (a, x) => a.Float("bias", x.Float(0f, 0.5f)).Float("lambd", x.Float(0f, 1f)), 2f),
        ];
        foreach (var (op, opset, attrs, range) in ops)
        {
            for (int i = 0; i < PerOp; i++)
            {
                int[] dims = r.Dims(r.Int(1, 4));
                var b = new OnnxModelBuilder(opset).Input("x", DataType.Float32, dims)
                    .Node(op, ["x"], ["y"], attrs is null ? null : a => attrs(a, r)).Output("y");
                yield return DifferentialCase.From($"{op}#{i}", b, r.Tensor(dims, -range, range));
            }
        }
    }

    public static IEnumerable<DifferentialCase> Clip(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < PerOp; i++)
        {
            int[] dims = r.Dims(r.Int(1, 4));
            float lo = r.Float(-1f, 0.2f);
            float hi = r.Float(0.2f, 1f);
            OnnxModelBuilder b;
            if (i % 3 == 0)
            {
                b = new OnnxModelBuilder(6).Input("x", DataType.Float32, dims)
                    .Node("Clip", ["x"], ["y"], a => a.Float("min", lo).Float("max", hi));
            }
            else
            {
                bool withMin = r.Bool();
                bool withMax = !withMin || r.Bool();
                b = new OnnxModelBuilder(13).Input("x", DataType.Float32, dims);
                if (withMin)
                {
                    b.Initializer("lo", [lo]);
                }

                if (withMax)
                {
                    b.Initializer("hi", [hi]);
                }

                b.Node("Clip", ["x", withMin ? "lo" : string.Empty, withMax ? "hi" : string.Empty], ["y"]);
            }

            yield return DifferentialCase.From($"Clip#{i}", b.Output("y"), r.Tensor(dims, -2f, 2f));
        }
    }

    public static IEnumerable<DifferentialCase> Binary(int seed)
    {
        var r = new CaseRandom(seed);
        foreach (string op in new[] { "Add", "Sub", "Mul", "Div" })
        {
            for (int i = 0; i < PerOp; i++)
            {
                int[] outDims = r.Dims(r.Int(1, 4));
                int[] a = i % 4 == 0 ? outDims : r.BroadcastableTo(outDims);
                int[] c = i % 4 == 1 ? outDims : r.BroadcastableTo(outDims);
                if (a.Length < outDims.Length && c.Length < outDims.Length)
                {
                    a = outDims;
                }

                bool constantB = r.Bool();
                Tensor<float> bValue = op == "Div" ? r.NonZero(c) : r.Tensor(c);
                var b = new OnnxModelBuilder(14).Input("a", DataType.Float32, a);
                if (constantB)
                {
                    b.Initializer("b", bValue);
                }
                else
                {
                    b.Input("b", DataType.Float32, c);
                }

                b.Node(op, ["a", "b"], ["y"]).Output("y");
                yield return constantB
                    ? DifferentialCase.From($"{op}#{i}", b, r.Tensor(a))
                    : DifferentialCase.From($"{op}#{i}", b, r.Tensor(a), bValue);
            }
        }
    }

    public static IEnumerable<DifferentialCase> Sum(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < PerOp; i++)
        {
            int[] outDims = r.Dims(r.Int(1, 4));
            int n = r.Int(1, 4);
            var b = new OnnxModelBuilder(13);
            var inputs = new List<Tensor>();
            for (int k = 0; k < n; k++)
            {
                int[] dims = k == 0 ? outDims : r.BroadcastableTo(outDims);
                b.Input($"x{k}", DataType.Float32, dims);
                inputs.Add(r.Tensor(dims));
            }

            b.Node("Sum", Enumerable.Range(0, n).Select(k => $"x{k}").ToArray(), ["y"]).Output("y");
            yield return DifferentialCase.From($"Sum#{i}", b, [.. inputs]);
        }
    }

    public static IEnumerable<DifferentialCase> PRelu(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < PerOp; i++)
        {
            int[] x = [1, r.Int(1, 6), r.Int(1, 5), r.Int(1, 5)];
            int[] slope = (i % 4) switch
            {
                0 => [x[1], 1, 1],
                1 => [1],
                2 => [x[1], x[2], x[3]],
                _ => r.BroadcastableTo(x),
            };
            var b = new OnnxModelBuilder(16).Input("x", DataType.Float32, x)
                .Initializer("slope", r.Tensor(slope, 0f, 0.5f)).Node("PRelu", ["x", "slope"], ["y"]).Output("y");
            yield return DifferentialCase.From($"PRelu#{i} slope[{string.Join(",", slope)}]", b, r.Tensor(x, -2f, 2f));
        }
    }

    public static IEnumerable<DifferentialCase> Softmax(int seed)
    {
        var r = new CaseRandom(seed);
        foreach (string op in new[] { "Softmax", "LogSoftmax" })
        {
            for (int i = 0; i < PerOp; i++)
            {
                int rank = r.Int(1, 4);
                int[] dims = r.Dims(rank);
                long opset = i % 3 == 0 ? 11 : 13;
                int axis = r.Int(-rank, rank - 1);
                var b = new OnnxModelBuilder(opset).Input("x", DataType.Float32, dims)
                    .Node(op, ["x"], ["y"], a => a.Int("axis", axis)).Output("y");
                yield return DifferentialCase.From($"{op}#{i} opset {opset} axis {axis}", b, r.Tensor(dims, -5f, 5f));
            }
        }
    }
}
