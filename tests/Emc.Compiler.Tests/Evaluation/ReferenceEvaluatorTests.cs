using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class ReferenceEvaluatorTests
{
    /// <summary>x → Conv(3×3, pad 1) → Relu → GlobalAveragePool → Gemm(transB) → Softmax, built by hand.</summary>
    private static Graph SmallNet(Random random, out Tensor<float> weights, out Tensor<float> fc)
    {
        var graph = new Graph("net.onnx", 13);
        var x = new Value("x", DataType.Float32, new Shape(1, 2, 5, 5));
        graph.Inputs.Add(x);
        weights = Random(random, 4, 2, 3, 3);
        fc = Random(random, 3, 4);
        var w = new Value("w", DataType.Float32, weights.Shape) { Constant = weights };
        var f = new Value("fc", DataType.Float32, fc.Shape) { Constant = fc };
        var conv = new Value("conv", DataType.Undefined);
        var relu = new Value("relu", DataType.Undefined);
        var gap = new Value("gap", DataType.Undefined);
        var flat = new Value("flat", DataType.Float32, new Shape(1, 4));
        var logits = new Value("logits", DataType.Undefined);
        var prob = new Value("prob", DataType.Undefined);
        Node Add(string op, Value?[] ins, Value outV, params NodeAttribute[] attributes)
        {
            var node = new Node(op, op, "", ins, [outV], attributes.ToDictionary(a => a.Name)) { Operator = OperatorRegistry.Default.Find("", op) };
            var bag = new DiagnosticBag();
            node.Operator!.Infer(new InferenceContext(node, 13, null, bag));
            Assert.IsEmpty(bag, string.Join("; ", bag));
            graph.Nodes.Add(node);
            return node;
        }

        Add("Conv", [x, w], conv, Ints("pads", 1, 1, 1, 1));
        Add("Relu", [conv], relu);
        Add("GlobalAveragePool", [relu], gap);

        // The 1×4×1×1 → 1×4 reshape is onnx-front's op; Gemm reads the same buffer through a hand-made view.
        gap.Shape = new Shape(1, 4);
        Add("Gemm", [gap, f], logits, Int("transB", 1));
        Add("Softmax", [logits], prob);
        graph.Outputs.Add(prob);
        graph.Outputs.Add(conv);
        return graph;
    }

    [TestMethod]
    public void EvaluatesAChainAndObservesEveryNodeOutput()
    {
        var random = new Random(41);
        var graph = SmallNet(random, out var weights, out var fc);
        var seen = new List<string>();
        var evaluator = new ReferenceEvaluator(graph, new EvaluatorOptions { Observer = (v, t) => seen.Add($"{v.Name}{t.Shape}") });
        var input = Random(random, 1, 2, 5, 5);
        var outputs = evaluator.Run(input);

        var conv = Naive.Conv(input.Data, 1, 2, 5, 5, weights.Data, 4, 3, 3, null, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        AssertClose(conv, outputs[1].As<float>().Data, what: "conv");
        var pooled = Enumerable.Range(0, 4).Select(c => (float)conv.Skip(c * 25).Take(25).Select(v => Math.Max(v, 0.0)).Average()).ToArray();
        var logits = Naive.MatMul(pooled, fc.Data, 1, 3, 4, transB: true);
        double max = logits.Max();
        double sum = logits.Sum(v => Math.Exp(v - max));
        AssertClose(logits.Select(v => (float)(Math.Exp(v - max) / sum)).ToArray(), outputs[0].As<float>().Data, what: "prob");
        CollectionAssert.AreEqual(new[] { "conv[1,4,5,5]", "relu[1,4,5,5]", "gap[1,4]", "logits[1,3]", "prob[1,3]" }, seen);

        // Buffers are reused: a second run on other data gives that data's result, identical when repeated.
        var first = outputs[0].As<float>().Data.ToArray();
        var other = evaluator.Run(Random(random, 1, 2, 5, 5))[0].As<float>().Data.ToArray();
        CollectionAssert.AreNotEqual(first, other);
        CollectionAssert.AreEqual(first, evaluator.Run(input)[0].As<float>().Data);
    }

    [TestMethod]
    public void BadInputsAreDiagnosticsFromTryRunAndArgumentExceptionsFromRun()
    {
        var random = new Random(42);
        var evaluator = new ReferenceEvaluator(SmallNet(random, out _, out _));
        var wrongShape = evaluator.TryRun([Random(random, 1, 2, 5, 4)]);
        Assert.IsFalse(wrongShape.Succeeded);
        Assert.AreEqual("EMC0253", wrongShape.Diagnostics.Single().Code);
        var wrongType = evaluator.TryRun([Tensor.Zeros<long>(new Shape(1, 2, 5, 5))]);
        Assert.AreEqual("EMC0252", wrongType.Diagnostics.Single().Code);
        var wrongCount = evaluator.TryRun([]);
        Assert.AreEqual("EMC0251", wrongCount.Diagnostics.Single().Code);
        Assert.ThrowsExactly<ArgumentException>(() => evaluator.Run(Random(random, 1, 2, 5, 4)));
        Assert.IsTrue(evaluator.TryRun([Random(random, 1, 2, 5, 5)]).Succeeded);
    }

    [TestMethod]
    public void UnresolvedGraphsAreReportedByCreate()
    {
        var graph = new Graph("bad.onnx", 13);
        var x = new Value("x", DataType.Float32, new Shape(2));
        var y = new Value("y", DataType.Undefined);
        graph.Inputs.Add(x);
        graph.Nodes.Add(new Node("n", "Mystery", "", [x], [y], new Dictionary<string, NodeAttribute>()));
        graph.Outputs.Add(y);
        var result = ReferenceEvaluator.Create(graph);
        Assert.IsFalse(result.Succeeded);
        Assert.AreEqual("EMC0250", result.Diagnostics[0].Code);
        Assert.AreEqual("n", result.Diagnostics[0].NodeName);
        Assert.ThrowsExactly<ArgumentException>(() => new ReferenceEvaluator(graph));
    }

    [TestMethod]
    public void EveryOperatorOfTheBriefIsRegistered()
    {
        string[] mine =
        [
            "Conv", "BatchNormalization", "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Exp", "Softmax",
            "LogSoftmax", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Sum",
            "Neg", "Elu", "Selu", "Softplus", "Sign", "Shrink", "LRN",
        ];
        var supported = OperatorRegistry.Default.SupportedOpTypes;
        foreach (string op in mine)
        {
            CollectionAssert.Contains(supported.ToList(), op);
        }
    }
}
