using Emc.Compiler.Evaluation;
using Emc.Compiler.Ir;
using Emc.Diagnostics;

namespace Emc.Compiler.Tests.Evaluation;

/// <summary>Builds resolved IR graphs directly (no ONNX file) for operator tests.</summary>
internal static class GraphFactory
{
    /// <summary>An input of a single-node graph: run-time (fed to the evaluator) or constant (initializer).</summary>
    public sealed record Input(Tensor Tensor, bool Constant = false);

    public static Input Feed(Tensor t) => new(t);

    public static Input Const(Tensor t) => new(t, true);

    public static Tensor<float> Floats(int[] shape, params float[] data) => Tensor.Create(new Shape(shape), data);

    public static Tensor<float> Random(Random random, params int[] shape)
    {
        var data = new float[new Shape(shape).ElementCount];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return Tensor.Create(new Shape(shape), data);
    }

    public static NodeAttribute Int(string name, long v) => new(name, AttributeKind.Int) { Int = v };

    public static NodeAttribute Float(string name, float v) => new(name, AttributeKind.Float) { Float = v };

    public static NodeAttribute Ints(string name, params long[] v) => new(name, AttributeKind.Ints) { Ints = v };

    public static NodeAttribute String(string name, string v) => new(name, AttributeKind.String) { String = v };

    /// <summary>A graph of one node; inputs may be null (omitted optional inputs). Returns the diagnostics of Infer.</summary>
    public static (Graph Graph, DiagnosticBag Diagnostics) SingleNode(string opType, long opset, Input?[] inputs,
        NodeAttribute[]? attributes = null, int outputs = 1)
    {
        var graph = new Graph("test.onnx", opset);
        var values = new Value?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not { } input)
            {
                continue;
            }

            var value = new Value("in" + i, input.Tensor.Type, input.Tensor.Shape);
            if (input.Constant)
            {
                value.Constant = input.Tensor;
            }
            else
            {
                graph.Inputs.Add(value);
            }

            values[i] = value;
        }

        var outs = Enumerable.Range(0, outputs).Select(i => new Value("out" + i, DataType.Undefined)).ToArray();
        var node = new Node(opType + "_0", opType, "", values, outs,
            (attributes ?? []).ToDictionary(a => a.Name));
        graph.Nodes.Add(node);
        graph.Outputs.AddRange(outs);
        var diagnostics = new DiagnosticBag();
        var op = OperatorRegistry.Default.Find("", opType) ?? throw new InvalidOperationException("no operator " + opType);
        node.Operator = op;
        op.Infer(new InferenceContext(node, opset, graph.SourcePath, diagnostics));
        return (graph, diagnostics);
    }

    /// <summary>Infers and evaluates a single node; fails the test on any diagnostic.</summary>
    public static Tensor Evaluate(string opType, long opset, Input?[] inputs, params NodeAttribute[] attributes)
    {
        var (graph, diagnostics) = SingleNode(opType, opset, inputs, attributes);
        Assert.IsEmpty(diagnostics, string.Join("; ", diagnostics));
        var feeds = inputs.Where(i => i is { Constant: false }).Select(i => i!.Tensor).ToArray();
        return new ReferenceEvaluator(graph).Run(feeds)[0];
    }

    /// <summary>Infers a single node and returns the codes it reported.</summary>
    public static string[] Codes(string opType, long opset, Input?[] inputs, NodeAttribute[]? attributes = null, int outputs = 1) =>
        SingleNode(opType, opset, inputs, attributes, outputs).Diagnostics.Select(d => d.Code).ToArray();

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float atol = 1e-5f, float rtol = 1e-4f,
        string? what = null)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) && float.IsNaN(a))
            {
                continue;
            }

            if (!(MathF.Abs(e - a) <= atol + (rtol * MathF.Abs(e))))
            {
                Assert.Fail($"{what}: element {i}: expected {e}, got {a}");
            }
        }
    }
}
