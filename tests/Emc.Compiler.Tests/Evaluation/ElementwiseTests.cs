using Emc.Compiler.Ir;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class ElementwiseTests
{
    private static readonly (string Op, Func<float, float, float> F)[] Binary =
        [("Add", (a, b) => a + b), ("Sub", (a, b) => a - b), ("Mul", (a, b) => a * b), ("Div", (a, b) => a / b)];

    [TestMethod]
    public void BroadcastingBinaryOpsMatchNaiveIndexing()
    {
        var random = new Random(11);
        int[][][] pairs =
        [
            [[2, 3, 4], [2, 3, 4]], [[2, 3, 4], []], [[], [2, 3, 4]], [[1, 8, 5, 5], [8, 1, 1]], [[1, 8, 5, 5], [1, 8, 1, 1]],
            [[3, 4, 5], [5]], [[3, 1, 5], [1, 4, 1]], [[2, 1, 4, 1], [3, 1, 6]], [[4, 1], [1, 7]], [[2, 3, 4, 5], [3, 1, 5]],
            [[1], [6]], [[2, 3, 1, 1, 2], [3, 4, 5, 1]],
        ];
        foreach (var pair in pairs)
        {
            var a = Random(random, pair[0]);
            var b = Random(random, pair[1]);
            foreach (var (op, f) in Binary)
            {
                var y = Evaluate(op, 14, [Feed(a), Feed(b)]).As<float>();
                int[] yShape = Enumerable.Range(0, Math.Max(pair[0].Length, pair[1].Length)).Select(i =>
                {
                    int r = Math.Max(pair[0].Length, pair[1].Length);
                    int da = i - (r - pair[0].Length) >= 0 ? pair[0][i - (r - pair[0].Length)] : 1;
                    int db = i - (r - pair[1].Length) >= 0 ? pair[1][i - (r - pair[1].Length)] : 1;
                    return Math.Max(da, db);
                }).ToArray();
                Assert.AreEqual(new Shape(yShape), y.Shape, op);
                AssertClose(Naive.Broadcast(a.Data, pair[0], b.Data, pair[1], yShape, f), y.Data, 0, 0,
                    $"{op} [{string.Join(",", pair[0])}] [{string.Join(",", pair[1])}]");
            }
        }
    }

    [TestMethod]
    public void Int64ShapeArithmeticBroadcasts()
    {
        var a = Tensor.Create(new Shape(3), new long[] { 10, 20, 30 });
        var b = Tensor.Create(Shape.Scalar, new long[] { 4 });
        CollectionAssert.AreEqual(new long[] { 40, 80, 120 }, Evaluate("Mul", 13, [Feed(a), Const(b)]).As<long>().Data);
        CollectionAssert.AreEqual(new long[] { 2, 5, 7 }, Evaluate("Div", 13, [Feed(a), Const(b)]).As<long>().Data);
        CollectionAssert.AreEqual(new long[] { 6, 16, 26 }, Evaluate("Sub", 13, [Feed(a), Const(b)]).As<long>().Data);

        // Integer division truncates toward zero; a zero divisor and MinValue / −1 must not throw.
        var n = Tensor.Create(new Shape(4), new long[] { -7, 7, 5, long.MinValue });
        var d = Tensor.Create(new Shape(4), new long[] { 2, -2, 0, -1 });
        CollectionAssert.AreEqual(new long[] { -3, -3, 0, long.MinValue }, Evaluate("Div", 13, [Feed(n), Feed(d)]).As<long>().Data);
    }

    [TestMethod]
    public void Opset6AxisBroadcastAlignsBWithA()
    {
        var random = new Random(8);
        var a = Random(random, 2, 3, 4, 5);
        var b = Random(random, 3, 4);
        var y = Evaluate("Add", 6, [Feed(a), Feed(b)], Int("broadcast", 1), Int("axis", 1)).As<float>();
        AssertClose(Naive.Broadcast(a.Data, [2, 3, 4, 5], b.Data, [3, 4, 1], [2, 3, 4, 5], (p, q) => p + q), y.Data, 0, 0);
        // Without broadcast=1 the shapes must match.
        CollectionAssert.Contains(Codes("Add", 6, [Feed(a), Feed(b)]), "EMC0202");
        // Incompatible shapes under numpy rules.
        CollectionAssert.Contains(Codes("Mul", 13, [Feed(Random(random, 3, 4)), Feed(Random(random, 3))]), "EMC0202");
    }

    [TestMethod]
    public void SumAddsBroadcastInputsLeftToRight()
    {
        var random = new Random(12);
        var a = Random(random, 2, 3);
        var b = Random(random, 3);
        var c = Random(random, 2, 1);
        var y = Evaluate("Sum", 13, [Feed(a), Feed(b), Feed(c)]).As<float>();
        var ab = Naive.Broadcast(a.Data, [2, 3], b.Data, [3], [2, 3], (p, q) => p + q);
        AssertClose(Naive.Broadcast(ab, [2, 3], c.Data, [2, 1], [2, 3], (p, q) => p + q), y.Data, 0, 0);
        var single = Evaluate("Sum", 13, [Feed(a)]).As<float>();
        CollectionAssert.AreEqual(a.Data, single.Data);
    }

    [TestMethod]
    public void PReluBroadcastsPerChannelAndFullSlopes()
    {
        var random = new Random(13);
        var x = Random(random, 1, 4, 3, 3);
        var perChannel = Random(random, 4, 1, 1);
        var y = Evaluate("PRelu", 9, [Feed(x), Const(perChannel)]).As<float>();
        AssertClose(Naive.Broadcast(x.Data, [1, 4, 3, 3], perChannel.Data, [4, 1, 1], [1, 4, 3, 3], (v, s) => v < 0 ? v * s : v), y.Data, 0, 0);
        var full = Random(random, 1, 4, 3, 3);
        y = Evaluate("PRelu", 16, [Feed(x), Feed(full)]).As<float>();
        AssertClose(Naive.Broadcast(x.Data, [1, 4, 3, 3], full.Data, [1, 4, 3, 3], [1, 4, 3, 3], (v, s) => v < 0 ? v * s : v), y.Data, 0, 0);
        // Opset 6: a [C] slope is per channel.
        var legacy = Random(random, 4);
        y = Evaluate("PRelu", 6, [Feed(x), Const(legacy)]).As<float>();
        AssertClose(Naive.Broadcast(x.Data, [1, 4, 3, 3], legacy.Data, [4, 1, 1], [1, 4, 3, 3], (v, s) => v < 0 ? v * s : v), y.Data, 0, 0);
    }

    [TestMethod]
    public void ActivationsFollowTheirDefinitions()
    {
        var x = Floats([13], -20f, -6f, -3f, -1f, -0.5f, -0.1f, 0f, 0.1f, 0.5f, 1f, 3f, 6f, 20f);
        (string Op, NodeAttribute[] Attributes, Func<double, double> F)[] cases =
        [
            ("Sigmoid", [], v => 1 / (1 + Math.Exp(-v))),
            ("Tanh", [], Math.Tanh),
            ("Exp", [], Math.Exp),
            ("Neg", [], v => -v),
            ("Sign", [], v => Math.Sign(v)),
            ("Softplus", [], v => Math.Log(Math.Exp(v) + 1)),
            ("HardSwish", [], v => v * Math.Max(0, Math.Min(1, (v / 6) + 0.5))),
            ("Relu", [], v => Math.Max(v, 0)),
            ("LeakyRelu", [], v => v < 0 ? 0.01 * v : v),
            ("LeakyRelu", [Float("alpha", 0.2f)], v => v < 0 ? 0.2 * v : v),
            ("HardSigmoid", [], v => Math.Max(0, Math.Min(1, (0.2 * v) + 0.5))),
            ("HardSigmoid", [Float("alpha", 0.5f), Float("beta", 0.6f)], v => Math.Max(0, Math.Min(1, (0.5 * v) + 0.6))),
            ("Elu", [], v => v < 0 ? Math.Exp(v) - 1 : v),
            ("Elu", [Float("alpha", 2f)], v => v < 0 ? 2 * (Math.Exp(v) - 1) : v),
            ("Selu", [], v => 1.0507009873554805 * (v <= 0 ? (1.6732632423543772 * Math.Exp(v)) - 1.6732632423543772 : v)),
            ("Shrink", [], v => v < -0.5 ? v : v > 0.5 ? v : 0),
            ("Shrink", [Float("lambd", 1.5f), Float("bias", 1.5f)], v => v < -1.5 ? v + 1.5 : v > 1.5 ? v - 1.5 : 0),
        ];
        foreach (var (op, attributes, f) in cases)
        {
            var y = Evaluate(op, 14, [Feed(x)], attributes).As<float>();
            var expected = x.Data.Select(v => (float)f(v)).ToArray();
            AssertClose(expected, y.Data, 1e-6f, 1e-5f, op + " " + string.Join(",", attributes.Select(a => a.Name)));
        }
    }

    [TestMethod]
    public void ClipTakesAttributesBeforeOpset11AndInputsAfter()
    {
        var x = Floats([6], float.NegativeInfinity, -2f, -0.5f, 0.5f, 2f, float.PositiveInfinity);
        CollectionAssert.AreEqual(new[] { -1f, -1f, -0.5f, 0.5f, 1f, 1f },
            Evaluate("Clip", 6, [Feed(x)], Float("min", -1f), Float("max", 1f)).As<float>().Data);
        // Opset 11+: bounds as run-time inputs (as the node tests feed them), one of them omitted.
        CollectionAssert.AreEqual(new[] { float.NegativeInfinity, -2f, -0.5f, 0f, 0f, 0f },
            Evaluate("Clip", 13, [Feed(x), null, Feed(Floats([], 0f))]).As<float>().Data);
        CollectionAssert.AreEqual(x.Data, Evaluate("Clip", 13, [Feed(x)]).As<float>().Data);
        // min > max: every value becomes max.
        CollectionAssert.AreEqual(Enumerable.Repeat(-1f, 6).ToArray(),
            Evaluate("Clip", 13, [Feed(x), Const(Floats([], 1f)), Const(Floats([], -1f))]).As<float>().Data);
        var ints = Tensor.Create(new Shape(4), new sbyte[] { -128, -5, 5, 127 });
        CollectionAssert.AreEqual(new sbyte[] { -10, -5, 5, 10 },
            Evaluate("Clip", 13, [Feed(ints), Const(Tensor.Create(Shape.Scalar, new sbyte[] { -10 })), Const(Tensor.Create(Shape.Scalar, new sbyte[] { 10 }))]).As<sbyte>().Data);
    }
}
